package managesim

import "sort"

// store holds the site's records. The Server's mutex guards it.
type store struct {
	companies  map[int]*Company
	agreements map[int]*Agreement
	additions  map[int]*Addition
	catalog    map[int]*CatalogItem
	seq        map[string]int // last id handed out per record kind
	refIDs     map[string]int // stable ids for named references (types, statuses…)
	refSeq     int
}

func newStore() store {
	return store{
		companies:  map[int]*Company{},
		agreements: map[int]*Agreement{},
		additions:  map[int]*Addition{},
		catalog:    map[int]*CatalogItem{},
		seq:        map[string]int{},
		refIDs:     map[string]int{},
	}
}

// nextID hands out ids above every id seen so far for the kind, so seeded ids and generated
// ones never collide.
func (st *store) nextID(kind string, want int) int {
	if want > 0 {
		if want > st.seq[kind] {
			st.seq[kind] = want
		}
		return want
	}
	st.seq[kind]++
	return st.seq[kind]
}

func (st *store) additionsOf(agreementID int) []*Addition {
	var out []*Addition
	for _, a := range st.additions {
		if a.AgreementID == agreementID {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// AddCompany stores a company; a zero ID gets the next free one. Seeds are not validated.
func (s *Server) AddCompany(c Company) Company {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = s.data.nextID("company", c.ID)
	c.Types = append([]string(nil), c.Types...)
	s.data.companies[c.ID] = &c
	return c
}

// AddAgreement stores an agreement; a zero ID gets the next free one.
func (s *Server) AddAgreement(a Agreement) Agreement {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.ID = s.data.nextID("agreement", a.ID)
	s.data.agreements[a.ID] = &a
	return a
}

// AddAddition stores an addition under a.AgreementID; a zero ID gets the next free one.
func (s *Server) AddAddition(a Addition) Addition {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.ID = s.data.nextID("addition", a.ID)
	if a.LastUpdated.IsZero() {
		a.LastUpdated = s.now().UTC()
	}
	if a.UpdatedBy == "" {
		a.UpdatedBy = "simulator"
	}
	a.LessIncluded = cloneFloat(a.LessIncluded)
	s.data.additions[a.ID] = &a
	return copyAddition(&a)
}

// AddCatalogItem stores a catalog item; a zero ID gets the next free one.
func (s *Server) AddCatalogItem(c CatalogItem) CatalogItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = s.data.nextID("catalog", c.ID)
	s.data.catalog[c.ID] = &c
	return c
}

// Company returns a stored company.
func (s *Server) Company(id int) (Company, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.data.companies[id]
	if !ok {
		return Company{}, false
	}
	out := *c
	out.Types = append([]string(nil), c.Types...)
	return out, true
}

// Agreement returns a stored agreement.
func (s *Server) Agreement(id int) (Agreement, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.data.agreements[id]
	if !ok {
		return Agreement{}, false
	}
	return *a, true
}

// Addition returns a stored addition by its id (addition ids are unique across agreements).
func (s *Server) Addition(id int) (Addition, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.data.additions[id]
	if !ok {
		return Addition{}, false
	}
	return copyAddition(a), true
}

// AdditionsOf returns the additions of one agreement, by id.
func (s *Server) AdditionsOf(agreementID int) []Addition {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Addition
	for _, a := range s.data.additionsOf(agreementID) {
		out = append(out, copyAddition(a))
	}
	return out
}

// Companies returns every company, by id.
func (s *Server) Companies() []Company {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Company, 0, len(s.data.companies))
	for _, c := range s.data.companies {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Agreements returns every agreement, by id.
func (s *Server) Agreements() []Agreement {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Agreement, 0, len(s.data.agreements))
	for _, a := range s.data.agreements {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// CatalogItems returns every catalog item, by id.
func (s *Server) CatalogItems() []CatalogItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CatalogItem, 0, len(s.data.catalog))
	for _, c := range s.data.catalog {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SetQuantity changes an addition behind the client's back, as a person in Manage would.
func (s *Server) SetQuantity(additionID int, quantity float64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.data.additions[additionID]
	if ok {
		a.Quantity = quantity
		a.LastUpdated = s.now().UTC()
		a.UpdatedBy = "manage-user"
	}
	return ok
}

// DeleteAddition removes an addition, as a person in Manage would.
func (s *Server) DeleteAddition(additionID int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.data.additions[additionID]
	delete(s.data.additions, additionID)
	return ok
}

// DeleteAgreement removes an agreement and its additions.
func (s *Server) DeleteAgreement(agreementID int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.data.agreements[agreementID]
	delete(s.data.agreements, agreementID)
	for id, a := range s.data.additions {
		if a.AgreementID == agreementID {
			delete(s.data.additions, id)
		}
	}
	return ok
}

func copyAddition(a *Addition) Addition {
	out := *a
	out.LessIncluded = cloneFloat(a.LessIncluded)
	return out
}

func cloneFloat(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
