package webrootsim

import (
	"net/http"
	"strings"
)

// handleHealth serves the unauthenticated health endpoints (§1).
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/service/api/health/ping":
		w.WriteHeader(http.StatusOK)
	case "/service/api/health/version":
		writeJSON(w, http.StatusOK, map[string]string{"Name": "Webroot.UnityAPI.APIServer", "Version": "1.0.0.0-sim"})
	default:
		s.writeEnvelope(w, http.StatusNotFound, "", "No HTTP resource was found that matches the request URI.")
	}
}

// handleAPI authenticates, checks the scope for the path family (§2.2), checks the GSM
// key and routes. The whole answer is built under the lock, so it is consistent.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/") // service api <family> ...
	s.mu.Lock()
	defer s.mu.Unlock()
	scopes, ok := s.bearer(w, r)
	if !ok {
		return
	}
	var need string
	var rest []string // segments after the GSM key
	var key string
	switch {
	case len(segs) >= 5 && segs[2] == "console" && segs[3] == "gsm":
		need, key, rest = "Console.GSM", segs[4], segs[5:]
	case len(segs) >= 6 && segs[2] == "status" && segs[3] == "reporting" && segs[4] == "gsm":
		need, key, rest = "SkyStatus.Reporting", segs[5], segs[6:]
	case len(segs) >= 3 && segs[2] == "usage":
		s.writeEnvelope(w, http.StatusGone, "", "SkyStatus.Usage reached end of life on October 1, 2020. Please see SkyStatus.Reporting.")
		return
	default:
		s.writeEnvelope(w, http.StatusNotFound, "", "No HTTP resource was found that matches the request URI.")
		return
	}
	if !covers(scopes, need) {
		s.writeEnvelope(w, http.StatusForbidden, "insufficient_scope", "The access token does not have the required scope: "+need+".")
		return
	}
	if r.Method != http.MethodGet {
		s.writeEnvelope(w, http.StatusMethodNotAllowed, "", "The requested resource does not support http method '"+r.Method+"'.")
		return
	}
	if normalizeKeycode(key) != normalizeKeycode(s.opts.GSMKey) {
		desc := "The GSM key was not found."
		if s.opts.UnknownKeyStatus == http.StatusBadRequest {
			desc = "Invalid GSM key."
		}
		s.writeEnvelope(w, s.opts.UnknownKeyStatus, "", desc)
		return
	}
	if need == "Console.GSM" {
		s.routeConsole(w, r, rest)
	} else {
		s.routeReporting(w, r, rest)
	}
}

func covers(granted []string, need string) bool {
	for _, g := range granted {
		if scopeMatches(g, need) {
			return true
		}
	}
	return false
}

// normalizeKeycode strips dashes and upper-cases (§7).
func normalizeKeycode(k string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(k), "-", ""))
}

func (s *Server) routeConsole(w http.ResponseWriter, r *http.Request, rest []string) {
	switch {
	case len(rest) == 0:
		writeJSON(w, http.StatusOK, s.consoleJSON())
	case len(rest) == 1 && rest[0] == "sites":
		writeJSON(w, http.StatusOK, s.sitesJSON(s.sites))
	case len(rest) >= 2 && rest[0] == "sites":
		st := s.byID[strings.ToLower(rest[1])]
		if st == nil {
			s.writeEnvelope(w, http.StatusNotFound, "", "The site was not found.")
			return
		}
		switch {
		case len(rest) == 2:
			writeJSON(w, http.StatusOK, s.sitesJSON([]*site{st}))
		case len(rest) == 3 && rest[2] == "endpoints":
			s.endpointList(w, r, st)
		default:
			s.writeEnvelope(w, http.StatusNotFound, "", "No HTTP resource was found that matches the request URI.")
		}
	default:
		s.writeEnvelope(w, http.StatusNotFound, "", "No HTTP resource was found that matches the request URI.")
	}
}
