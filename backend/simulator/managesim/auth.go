package managesim

import (
	"encoding/base64"
	"net/http"
	"strings"
)

// Module is a Manage security module the API member's role grants levels on (manage-api.md §8).
type Module string

// The modules the client's calls need.
const (
	ModuleAgreements Module = "Finance / Agreements"
	ModuleCompanies  Module = "Companies / Company Maintenance"
	ModuleCatalog    Module = "Procurement / Product Catalog"
	ModuleSystem     Module = "System / System Info"
)

// Level is an access level within a module.
type Level string

// Access levels.
const (
	LevelInquire Level = "Inquire"
	LevelAdd     Level = "Add"
	LevelEdit    Level = "Edit"
	LevelDelete  Level = "Delete"
)

var allLevels = []Level{LevelInquire, LevelAdd, LevelEdit, LevelDelete}

// Deny takes levels of a module away from the API member (every level when none is given),
// so calls that need them get 403.
func (s *Server) Deny(m Module, levels ...Level) {
	if len(levels) == 0 {
		levels = allLevels
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range levels {
		s.denied[string(m)+"\x00"+string(l)] = true
	}
}

// Allow gives levels back (every level when none is given).
func (s *Server) Allow(m Module, levels ...Level) {
	if len(levels) == 0 {
		levels = allLevels
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range levels {
		delete(s.denied, string(m)+"\x00"+string(l))
	}
}

func (s *Server) checkPermission(m Module, l Level) *apiError {
	s.mu.Lock()
	denied := s.denied[string(m)+"\x00"+string(l)]
	s.mu.Unlock()
	if !denied {
		return nil
	}
	// The exact 403 body is unverified; this one names the module, as Manage's UI does.
	return &apiError{status: http.StatusForbidden, code: "Forbidden",
		message: "You do not have access to " + string(m) + " (" + string(l) + " level). " +
			"Ask your administrator to adjust your security role."}
}

// checkClient enforces the clientId header. A missing or unknown clientId is answered with
// the configured status (the real answer is unverified: 400 or 401).
func (s *Server) checkClient(r *http.Request) *apiError {
	id := r.Header.Get("clientId")
	switch {
	case id == "":
		return &apiError{status: s.opts.ClientIDStatus, code: "Unauthorized",
			message: "A clientId header is required. Register a clientId at https://developer.connectwise.com/ClientID."}
	case s.opts.ClientID != "" && !strings.EqualFold(id, s.opts.ClientID):
		return &apiError{status: s.opts.ClientIDStatus, code: "Unauthorized",
			message: "The clientId " + id + " is not valid."}
	}
	return nil
}

// checkAuth enforces Basic "{companyId}+{publicKey}:{privateKey}".
func (s *Server) checkAuth(r *http.Request) *apiError {
	fail := &apiError{status: http.StatusUnauthorized, code: "Unauthorized",
		message: "The API member credentials are not valid for this company."}
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Basic ")
	if !ok {
		return fail
	}
	dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(raw))
	if err != nil {
		return fail
	}
	user, pass, ok := strings.Cut(string(dec), ":")
	if !ok {
		return fail
	}
	company, public, ok := strings.Cut(user, "+")
	if !ok || !strings.EqualFold(company, s.opts.CompanyID) || public != s.opts.PublicKey ||
		pass != s.opts.PrivateKey {
		return fail
	}
	return nil
}
