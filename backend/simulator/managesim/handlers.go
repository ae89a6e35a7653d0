package managesim

import (
	"net/http"
	"strconv"
	"strings"
)

// resource describes one list endpoint: how to render its records and what it needs.
type resource struct {
	name        string // for messages: "company"
	module      Module
	fields      map[string]bool
	forwardOnly bool // forward-only paging; child endpoints answer navigably (unverified)
	all         func(st *store) []doc
	one         func(st *store, id int) (doc, bool)
}

var (
	companiesRes = resource{name: "Company", module: ModuleCompanies, fields: companyFields,
		forwardOnly: true,
		all: func(st *store) []doc {
			out := make([]doc, 0, len(st.companies))
			for _, c := range st.companies {
				out = append(out, st.companyDoc(c))
			}
			return out
		},
		one: func(st *store, id int) (doc, bool) {
			c, ok := st.companies[id]
			if !ok {
				return nil, false
			}
			return st.companyDoc(c), true
		}}
	agreementsRes = resource{name: "Agreement", module: ModuleAgreements, fields: agreementFields,
		forwardOnly: true,
		all: func(st *store) []doc {
			out := make([]doc, 0, len(st.agreements))
			for _, a := range st.agreements {
				out = append(out, st.agreementDoc(a))
			}
			return out
		},
		one: func(st *store, id int) (doc, bool) {
			a, ok := st.agreements[id]
			if !ok {
				return nil, false
			}
			return st.agreementDoc(a), true
		}}
	catalogRes = resource{name: "CatalogItem", module: ModuleCatalog, fields: catalogFields,
		forwardOnly: true,
		all: func(st *store) []doc {
			out := make([]doc, 0, len(st.catalog))
			for _, c := range st.catalog {
				out = append(out, st.catalogDoc(c))
			}
			return out
		},
		one: func(st *store, id int) (doc, bool) {
			c, ok := st.catalog[id]
			if !ok {
				return nil, false
			}
			return st.catalogDoc(c), true
		}}
)

func additionsRes(agreementID int) resource {
	return resource{name: "Addition", module: ModuleAgreements, fields: additionFields,
		all: func(st *store) []doc {
			var out []doc
			for _, a := range st.additionsOf(agreementID) {
				out = append(out, st.additionDoc(a))
			}
			return out
		},
		one: func(st *store, id int) (doc, bool) {
			a, ok := st.additions[id]
			if !ok || a.AgreementID != agreementID {
				return nil, false
			}
			return st.additionDoc(a), true
		}}
}

// serveAPI routes an authenticated call below apis/3.0.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, route string, body []byte, falseOK bool) *apiError {
	segs := strings.Split(strings.Trim(route, "/"), "/")
	at := func(i int) string {
		if i < len(segs) {
			return segs[i]
		}
		return ""
	}
	switch {
	case route == "/system/info":
		return s.systemInfo(w, r)
	case at(0) == "company" && at(1) == "companies":
		return s.collection(w, r, companiesRes, segs[2:])
	case at(0) == "procurement" && at(1) == "catalog":
		return s.collection(w, r, catalogRes, segs[2:])
	case at(0) == "finance" && at(1) == "agreements" && len(segs) >= 4 && segs[3] == "additions":
		agreementID, err := strconv.Atoi(segs[2])
		if err != nil {
			return badRequest("The agreement id " + strconv.Quote(segs[2]) + " is not a number")
		}
		return s.additions(w, r, agreementID, segs[4:], body, falseOK)
	case at(0) == "finance" && at(1) == "agreements":
		return s.collection(w, r, agreementsRes, segs[2:])
	}
	return notFound("Resource " + route)
}

// collection serves GET list, GET /count and GET /{id} of a top-level resource.
func (s *Server) collection(w http.ResponseWriter, r *http.Request, res resource, rest []string) *apiError {
	if r.Method != http.MethodGet || len(rest) > 1 {
		return methodNotAllowed(r.Method)
	}
	if e := s.checkPermission(res.module, LevelInquire); e != nil {
		return e
	}
	return s.read(w, r, res, rest)
}

// read serves the GET forms shared by every resource.
func (s *Server) read(w http.ResponseWriter, r *http.Request, res resource, rest []string) *apiError {
	switch {
	case len(rest) == 0:
		p, e := parseListParams(r, res.fields, res.forwardOnly)
		if e != nil {
			return e
		}
		s.mu.Lock()
		docs := res.all(&s.data)
		s.mu.Unlock()
		writeList(w, r, p, docs)
	case rest[0] == "count":
		p, e := parseListParams(r, res.fields, false)
		if e != nil {
			return e
		}
		s.mu.Lock()
		docs := res.all(&s.data)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]int{"count": len(p.filter(docs))})
	default:
		id, err := strconv.Atoi(rest[0])
		if err != nil {
			return badRequest("The id " + strconv.Quote(rest[0]) + " is not a number")
		}
		s.mu.Lock()
		d, ok := res.one(&s.data, id)
		s.mu.Unlock()
		if !ok {
			return notFound(res.name + " " + rest[0])
		}
		writeJSON(w, http.StatusOK, project(d, parseFields(r.URL.Query().Get("fields"))))
	}
	return nil
}

// additions serves /finance/agreements/{id}/additions and below.
func (s *Server) additions(w http.ResponseWriter, r *http.Request, agreementID int, rest []string, body []byte, falseOK bool) *apiError {
	level := map[string]Level{http.MethodGet: LevelInquire, http.MethodPost: LevelAdd,
		http.MethodPatch: LevelEdit, http.MethodDelete: LevelDelete}[r.Method]
	if level == "" || len(rest) > 1 {
		return methodNotAllowed(r.Method)
	}
	if e := s.checkPermission(ModuleAgreements, level); e != nil {
		return e
	}
	s.mu.Lock()
	_, exists := s.data.agreements[agreementID]
	s.mu.Unlock()
	if !exists {
		return notFound("Agreement " + strconv.Itoa(agreementID))
	}
	res := additionsRes(agreementID)
	switch {
	case r.Method == http.MethodGet:
		return s.read(w, r, res, rest)
	case r.Method == http.MethodPost && len(rest) == 0:
		return s.createAddition(w, r, agreementID, body)
	case len(rest) == 1 && (r.Method == http.MethodPatch || r.Method == http.MethodDelete):
		id, err := strconv.Atoi(rest[0])
		if err != nil {
			return badRequest("The id " + strconv.Quote(rest[0]) + " is not a number")
		}
		if r.Method == http.MethodDelete {
			return s.deleteAddition(w, agreementID, id)
		}
		return s.patchAddition(w, r, agreementID, id, body, falseOK)
	}
	return methodNotAllowed(r.Method)
}

func (s *Server) deleteAddition(w http.ResponseWriter, agreementID, id int) *apiError {
	s.mu.Lock()
	a, ok := s.data.additions[id]
	if ok && a.AgreementID == agreementID {
		delete(s.data.additions, id)
	}
	s.mu.Unlock()
	if !ok || a.AgreementID != agreementID {
		return notFound("Addition " + strconv.Itoa(id))
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) systemInfo(w http.ResponseWriter, r *http.Request) *apiError {
	if r.Method != http.MethodGet {
		return methodNotAllowed(r.Method)
	}
	if e := s.checkPermission(ModuleSystem, LevelInquire); e != nil {
		return e
	}
	region := ""
	if s.opts.IsCloud {
		region = "NA"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"version": s.opts.VersionCode, "isCloud": s.opts.IsCloud,
		"serverTimeZone": "Eastern Standard Time", "licenseBits": []any{},
		"cloudRegion": region, "maxWorkFlowRecordsAllowed": 5000,
	})
	return nil
}

func methodNotAllowed(method string) *apiError {
	return &apiError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed",
		message: "The method " + method + " is not allowed on this resource"}
}
