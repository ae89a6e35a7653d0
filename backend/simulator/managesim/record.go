package managesim

import (
	"net/http"
	"net/url"
	"path"
	"time"
)

// Request is one recorded call, for assertions in tests.
type Request struct {
	Method   string
	Path     string // the URL path as sent
	Route    string // the path below apis/3.0 (e.g. /finance/agreements), or the companyinfo path
	Query    url.Values
	RawQuery string
	Header   http.Header // as sent, with the Authorization value replaced by "[redacted]"
	Body     []byte
	Status   int // 0 while the answer is still being prepared; -1 for a dropped connection
	At       time.Time
}

func (s *Server) record(r *http.Request, route string, body []byte) int {
	h := r.Header.Clone()
	if h.Get("Authorization") != "" {
		h.Set("Authorization", "[redacted]")
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, Route: route, Query: r.URL.Query(),
		RawQuery: r.URL.RawQuery, Header: h, Body: body, At: s.now()}
	s.recMu.Lock()
	defer s.recMu.Unlock()
	s.requests = append(s.requests, rec)
	return len(s.requests) - 1
}

func (s *Server) setStatus(i, status int) {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	if i < len(s.requests) {
		s.requests[i].Status = status
	}
}

// Requests returns a copy of every recorded request, oldest first.
func (s *Server) Requests() []Request {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsTo returns the recorded requests whose method and route match; an empty method
// matches any, and route is a path.Match pattern such as /finance/agreements/*/additions.
func (s *Server) RequestsTo(method, routePattern string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if matchRoute(method, routePattern, r.Method, r.Route) {
			out = append(out, r)
		}
	}
	return out
}

// CountRequests is len(RequestsTo(method, routePattern)).
func (s *Server) CountRequests(method, routePattern string) int {
	return len(s.RequestsTo(method, routePattern))
}

// ResetRequests forgets the recorded requests and the in-flight peak.
func (s *Server) ResetRequests() {
	s.recMu.Lock()
	s.requests = nil
	s.recMu.Unlock()
	s.peak.Store(s.inFlight.Load())
}

// MaxInFlight is the largest number of requests the server was handling at once since the
// start or the last ResetRequests.
func (s *Server) MaxInFlight() int { return int(s.peak.Load()) }

func matchRoute(wantMethod, pattern, method, route string) bool {
	if wantMethod != "" && wantMethod != method {
		return false
	}
	if pattern == "" {
		return true
	}
	ok, err := path.Match(pattern, route)
	return err == nil && ok
}

// statusRecorder notes the status in the request record as soon as it is written, so a test
// that reads the record right after the client returns sees it.
type statusRecorder struct {
	http.ResponseWriter
	onStatus func(int)
	wrote    bool
}

func (w *statusRecorder) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.onStatus(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (to drop it).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
