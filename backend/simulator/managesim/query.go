package managesim

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

const (
	defaultPageSize = 25
	maxPageSize     = 1000 // "hard limit of 1,000 records" (PSA-Pagination)
)

// project keeps only the requested fields, keeping their nesting: company/id → {"company":{"id":…}}.
func project(d doc, fields [][]string) doc {
	if len(fields) == 0 {
		return d
	}
	out := doc{}
	for _, path := range fields {
		copyPath(d, out, path)
	}
	return out
}

func copyPath(src, dst doc, path []string) {
	v, ok := src[path[0]]
	if !ok {
		return
	}
	if len(path) == 1 {
		dst[path[0]] = v
		return
	}
	child, ok := v.(doc)
	if !ok {
		// Asking for company/id of a null company keeps the null, as the field is there.
		if v == nil {
			dst[path[0]] = nil
		}
		return
	}
	sub, ok := dst[path[0]].(doc)
	if !ok {
		sub = doc{}
		dst[path[0]] = sub
	}
	copyPath(child, sub, path[1:])
}

func parseFields(raw string) [][]string {
	var out [][]string
	for _, f := range strings.Split(raw, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, strings.Split(f, "/"))
		}
	}
	return out
}

type orderKey struct {
	path []string
	desc bool
}

func parseOrderBy(raw string, known map[string]bool) ([]orderKey, error) {
	var keys []orderKey
	for _, part := range strings.Split(raw, ",") {
		words := strings.Fields(part)
		if len(words) == 0 {
			continue
		}
		if len(words) > 2 {
			return nil, fmt.Errorf("orderBy %q: expected \"field asc\" or \"field desc\"", part)
		}
		k := orderKey{path: strings.Split(words[0], "/")}
		if !known[k.path[0]] {
			return nil, fmt.Errorf("orderBy: unknown field %q", words[0])
		}
		if len(words) == 2 {
			switch strings.ToLower(words[1]) {
			case "asc":
			case "desc":
				k.desc = true
			default:
				return nil, fmt.Errorf("orderBy %q: expected asc or desc", part)
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// sortDocs orders by the keys, then by id so pages are stable.
func sortDocs(docs []doc, keys []orderKey) {
	sort.SliceStable(docs, func(i, j int) bool {
		for _, k := range keys {
			c := compareValues(lookup(docs[i], k.path), lookup(docs[j], k.path))
			if c != 0 {
				if k.desc {
					return c > 0
				}
				return c < 0
			}
		}
		a, _ := toNumber(docs[i]["id"])
		b, _ := toNumber(docs[j]["id"])
		return a < b
	})
}

// compareValues orders nulls first, then numbers, booleans and strings (case-insensitively).
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	if x, ok := toNumber(a); ok {
		if y, ok := toNumber(b); ok {
			return cmpFloat(x, y)
		}
	}
	if x, ok := a.(bool); ok {
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	}
	return strings.Compare(strings.ToLower(fmt.Sprint(a)), strings.ToLower(fmt.Sprint(b)))
}

// listParams are the list query parameters of one request.
type listParams struct {
	conditions  cond
	fields      [][]string
	order       []orderKey
	page        int
	pageSize    int
	forwardOnly bool
	pageID      int
}

func parseListParams(r *http.Request, known map[string]bool, forwardOnlyOK bool) (listParams, *apiError) {
	q := r.URL.Query()
	var p listParams
	var err error
	if p.conditions, err = parseConditions(q.Get("conditions"), known); err != nil {
		return p, invalidQuery("conditions", err)
	}
	p.fields = parseFields(q.Get("fields"))
	if p.order, err = parseOrderBy(q.Get("orderBy"), known); err != nil {
		return p, invalidQuery("orderBy", err)
	}
	if p.pageSize, err = intParam(q, "pageSize", defaultPageSize); err != nil {
		return p, invalidQuery("pageSize", err)
	}
	if p.pageSize < 1 {
		p.pageSize = defaultPageSize
	}
	// Larger values are never honoured; what the real service answers is unverified, so cap.
	p.pageSize = min(p.pageSize, maxPageSize)
	if p.page, err = intParam(q, "page", 1); err != nil {
		return p, invalidQuery("page", err)
	}
	p.page = max(p.page, 1)
	p.forwardOnly = forwardOnlyOK && strings.EqualFold(r.Header.Get("pagination-type"), "forward-only")
	if p.forwardOnly {
		if len(p.order) > 0 {
			return p, invalidQuery("orderBy", fmt.Errorf("orderBy is not allowed with forward-only pagination"))
		}
		if p.pageID, err = intParam(q, "pageId", 0); err != nil {
			return p, invalidQuery("pageId", err)
		}
	}
	return p, nil
}

func intParam(q url.Values, name string, def int) (int, error) {
	raw := q.Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number, not %q", name, raw)
	}
	return n, nil
}

// filter keeps the documents matching the conditions, ordered.
func (p listParams) filter(docs []doc) []doc {
	out := docs[:0:0]
	for _, d := range docs {
		if p.conditions == nil || p.conditions.match(d) {
			out = append(out, d)
		}
	}
	if p.forwardOnly {
		sortDocs(out, nil)
		return out
	}
	sortDocs(out, p.order)
	return out
}

// writeList pages the filtered documents and writes them with the Link header.
func writeList(w http.ResponseWriter, r *http.Request, p listParams, all []doc) {
	rows := p.filter(all)
	if p.forwardOnly {
		writeForwardOnly(w, r, p, rows)
		return
	}
	total := len(rows)
	last := max(1, (total+p.pageSize-1)/p.pageSize)
	start := min((p.page-1)*p.pageSize, total)
	end := min(start+p.pageSize, total)
	page := rows[start:end]
	// "When everything fits on one page, the header is absent."
	if last > 1 || p.page > 1 {
		var links []string
		links = append(links, pageLink(r, "page", 1, "first"))
		if p.page > 1 {
			links = append(links, pageLink(r, "page", min(p.page-1, last), "prev"))
		}
		if p.page < last {
			links = append(links, pageLink(r, "page", p.page+1, "next"))
		}
		links = append(links, pageLink(r, "page", last, "last"))
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	writeJSON(w, http.StatusOK, projectAll(page, p.fields))
}

// writeForwardOnly serves `pagination-type: forward-only`: pageId acts as `id > pageId`, and
// a full page links to the next pageId. The last page gets an empty Link header (the empty
// header is the behaviour Invoke-CWMAllResult.ps1 expects; unverified in the DG).
func writeForwardOnly(w http.ResponseWriter, r *http.Request, p listParams, rows []doc) {
	var page []doc
	for _, d := range rows {
		id, _ := toNumber(d["id"])
		if int(id) > p.pageID {
			page = append(page, d)
			if len(page) == p.pageSize {
				break
			}
		}
	}
	if len(page) == p.pageSize {
		lastID, _ := toNumber(page[len(page)-1]["id"])
		w.Header().Set("Link", pageLink(r, "pageId", int(lastID), "next"))
	} else {
		w.Header()["Link"] = []string{""}
	}
	writeJSON(w, http.StatusOK, projectAll(page, p.fields))
}

func projectAll(rows []doc, fields [][]string) []doc {
	out := make([]doc, len(rows))
	for i, d := range rows {
		out[i] = project(d, fields)
	}
	return out
}

// pageLink builds an absolute RFC 5988 link to the same query with another page.
func pageLink(r *http.Request, param string, n int, rel string) string {
	q := r.URL.Query()
	q.Set(param, strconv.Itoa(n))
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
}
