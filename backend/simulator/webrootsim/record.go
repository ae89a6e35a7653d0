package webrootsim

import (
	"net/http"
	"strings"
	"time"
)

// Request is one request the simulator answered.
type Request struct {
	Method    string
	Path      string
	Query     string
	Status    int    // 0 while the request is still being answered
	Grant     string // grant_type of token requests
	UserAgent string
	At        time.Time

	seq uint64
}

// begin records a request as it arrives and returns its sequence number for finish.
func (s *Server) begin(r *http.Request, grant string) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Grant: grant, UserAgent: r.UserAgent(), At: s.now(), seq: s.seq})
	return s.seq
}

// finish records the status a request was answered with (unless ResetRequests dropped it).
func (s *Server) finish(seq uint64, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.requests) - 1; i >= 0; i-- {
		if r := &s.requests[i]; r.seq == seq {
			r.Status = status
			s.log.Debug("webrootsim", "method", r.Method, "path", r.Path, "status", status)
			return
		}
	}
}

// Requests returns every recorded request, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count counts requests by method ("" for any) whose path starts with pathPrefix.
func (s *Server) Count(method, pathPrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "" || strings.EqualFold(method, r.Method)) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// TokenRequests counts token requests with a grant type ("" for all).
func (s *Server) TokenRequests(grant string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Path == tokenPath && (grant == "" || r.Grant == grant) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}
