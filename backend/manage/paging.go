package manage

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// listAll reads every page of a list (manage-api.md §5.2, §5.3). It stops on a short page, or
// when a Link header is present without a next link. A missing Link header on a full page is
// not taken as the end (a server might never send Link), so the next page is asked for by
// number; when everything fit on one page exactly, that costs one request for an empty page.
func listAll[T any](ctx context.Context, c *Client, op, path string, q Query) ([]T, error) {
	vals, size, err := q.values(c.cfg.PageSize)
	if err != nil {
		return nil, c.invalidInput(op, err)
	}
	forward := q.ForwardOnly
	page, lastID := 1, -1
	if !forward {
		vals.Set("page", "1")
	}
	var out []T
	for n := 1; ; n++ {
		if n > c.cfg.MaxPages {
			return nil, &Error{Kind: KindBadResponse, Op: op, Path: path, Host: c.site.APIHost,
				Message: fmt.Sprintf("Manage kept offering more pages after %d; stopped", c.cfg.MaxPages)}
		}
		cl := &call{op: op, method: http.MethodGet, path: path, query: vals, idempotent: true}
		if forward {
			cl.header = map[string]string{"pagination-type": "forward-only"}
		}
		r, err := c.do(ctx, cl)
		if err != nil {
			return nil, err
		}
		var rows []T
		if err := c.decode(cl, r, &rows); err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(rows) < size {
			return out, nil
		}
		_, present := r.header["Link"]
		next, hasNext := parseLinks(strings.Join(r.header.Values("Link"), ", "))["next"]
		vals = cloneValues(vals)
		if forward {
			id, ok := queryInt(next, "pageId")
			switch {
			case !present || (hasNext && !ok):
				// Forward-only was ignored (no Link at all, as Invoke-CWMAllResult.ps1 reads
				// it, or navigable links): this was page 1 of the normal paging.
				forward = false
				vals.Del("pageId")
			case !hasNext:
				return out, nil // an empty Link ends forward-only paging
			case id <= lastID:
				return nil, c.stuckPaging(op, path, r)
			default:
				lastID = id
				vals.Set("pageId", strconv.Itoa(id))
				continue
			}
		}
		if present && !hasNext {
			return out, nil
		}
		nextPage := page + 1
		if p, ok := queryInt(next, "page"); hasNext && ok {
			nextPage = p
		}
		if nextPage <= page {
			return nil, c.stuckPaging(op, path, r)
		}
		page = nextPage
		vals.Set("page", strconv.Itoa(page))
	}
}

func (c *Client) stuckPaging(op, path string, r *response) *Error {
	return &Error{Kind: KindBadResponse, Op: op, Path: path, Host: c.site.APIHost,
		Status: r.status, RequestID: r.requestID,
		Message: "the next-page link does not move forward"}
}

// parseLinks reads an RFC 5988 Link header into rel → URL. URLs are taken between < and >,
// so commas inside them do not split entries.
func parseLinks(h string) map[string]string {
	links := map[string]string{}
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			return links
		}
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			return links
		}
		target := h[i+1 : i+j]
		rest := h[i+j+1:]
		params := rest
		if k := strings.IndexByte(rest, '<'); k >= 0 {
			params = rest[:k]
		}
		for _, p := range strings.Split(params, ";") {
			p = strings.TrimSpace(p)
			if len(p) > 4 && strings.EqualFold(p[:4], "rel=") {
				for _, rel := range strings.Fields(strings.Trim(p[4:], `"', `)) {
					links[strings.ToLower(rel)] = target
				}
			}
		}
		h = rest
	}
}

// queryInt reads an integer query parameter of a link. Only the page number is taken from a
// link, never its host, so credentials only ever go to the configured site.
func queryInt(link, name string) (int, bool) {
	if link == "" {
		return 0, false
	}
	u, err := url.Parse(link)
	if err != nil {
		return 0, false
	}
	for k, v := range u.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			n, err := strconv.Atoi(v[0])
			return n, err == nil
		}
	}
	return 0, false
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
