package main

import (
	"bytes"
	"strings"

	"cwm-webroot/backend/mapping"
)

// MappingAPI is the Mappings page: site product lines, their mappings, exclusions and CSV.
type MappingAPI struct{ app *App }

// eventMappingsChanged tells every window (and the sidebar badge) to reload.
const eventMappingsChanged = "mappings:changed"

func (x *MappingAPI) service() (*mapping.Service, string, error) {
	_, user, err := x.app.accountAPI.actor()
	if err != nil {
		return nil, "", err
	}
	return mapping.New(x.app.inst.Store, nil), user.Email, nil
}

func (x *MappingAPI) changed() {
	x.app.emitter.Emit(eventMappingsChanged, nil)
}

// Rows lists every site product line with its counts, state and mapping.
func (x *MappingAPI) Rows() ([]mapping.Row, error) {
	svc, _, err := x.service()
	if err != nil {
		return nil, err
	}
	return svc.Rows(x.app.ctx)
}

// UnmappedCount is the number shown on the sidebar's Mappings badge.
func (x *MappingAPI) UnmappedCount() (int, error) {
	rows, err := x.Rows()
	if err != nil {
		return 0, err
	}
	return mapping.Unmapped(rows), nil
}

// Save creates or replaces a mapping after checking the rules.
func (x *MappingAPI) Save(m mapping.Mapping) error {
	svc, actor, err := x.service()
	if err != nil {
		return err
	}
	if err := svc.Save(x.app.ctx, actor, m); err != nil {
		return err
	}
	x.changed()
	return nil
}

// Delete removes a mapping.
func (x *MappingAPI) Delete(siteID, product string) error {
	svc, actor, err := x.service()
	if err != nil {
		return err
	}
	if err := svc.Delete(x.app.ctx, actor, siteID, product); err != nil {
		return err
	}
	x.changed()
	return nil
}

// SetExcluded excludes a site's product line from billing, or includes it again.
func (x *MappingAPI) SetExcluded(siteID, product string, excluded bool) error {
	svc, actor, err := x.service()
	if err != nil {
		return err
	}
	if err := svc.SetExcluded(x.app.ctx, actor, siteID, product, excluded); err != nil {
		return err
	}
	x.changed()
	return nil
}

// ImportOutcome is what an import did, or every row problem when it did nothing.
type ImportOutcome struct {
	Result mapping.ImportResult `json:"result"`
	Errors []mapping.RowError   `json:"errors"`
}

// ImportCSV imports a mapping file's text: all rows or none.
func (x *MappingAPI) ImportCSV(content string) (ImportOutcome, error) {
	svc, actor, err := x.service()
	if err != nil {
		return ImportOutcome{}, err
	}
	res, err := svc.ImportCSV(x.app.ctx, actor, strings.NewReader(content))
	if ie, ok := err.(*mapping.ImportError); ok {
		return ImportOutcome{Errors: ie.Rows}, nil
	}
	if err != nil {
		return ImportOutcome{}, err
	}
	x.changed()
	return ImportOutcome{Result: res}, nil
}

// ExportCSV returns the mapping file's text.
func (x *MappingAPI) ExportCSV() (string, error) {
	svc, _, err := x.service()
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := svc.ExportCSV(x.app.ctx, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// SaveExport asks where to save the mapping file and writes it; "" when the user cancels.
func (x *MappingAPI) SaveExport() (string, error) {
	return saveCSVExport(x.app.ctx, "Export mappings", "cwm-webroot-mappings.csv", x.ExportCSV)
}

// AcceptSuggestions maps the given suggested rows as their suggestions propose.
func (x *MappingAPI) AcceptSuggestions(items []mapping.SiteProduct) (mapping.AcceptOutcome, error) {
	svc, actor, err := x.service()
	if err != nil {
		return mapping.AcceptOutcome{}, err
	}
	out, err := svc.AcceptSuggestions(x.app.ctx, actor, items)
	if err == nil && out.Accepted > 0 {
		x.changed()
	}
	return out, err
}
