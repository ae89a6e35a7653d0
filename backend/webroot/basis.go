package webroot

import (
	"fmt"
	"strings"
)

// Product is a Webroot product line, named as in the mapping CSV (PRODUCT.md §2.7).
type Product string

const (
	ProductEndpoint Product = "endpoint"
	ProductDNS      Product = "dns"
	ProductWSAT     Product = "wsat"
)

// Products lists the product lines in display order.
func Products() []Product { return []Product{ProductEndpoint, ProductDNS, ProductWSAT} }

// Label is the product line's display name.
func (p Product) Label() string {
	switch p {
	case ProductEndpoint:
		return "Endpoint Protection"
	case ProductDNS:
		return "DNS Protection"
	case ProductWSAT:
		return "Security Awareness Training"
	}
	return string(p)
}

// Module is how the site list names the product line: a module Type (DNSP, WSAT), or EP
// for Endpoint Protection, which is the site's keycode itself.
func (p Product) Module() string {
	switch p {
	case ProductDNS:
		return "DNSP"
	case ProductWSAT:
		return "WSAT"
	}
	return "EP"
}

// DefaultBasis is the count basis a new mapping of this product starts with (§2.3).
func (p Product) DefaultBasis() Basis {
	switch p {
	case ProductDNS:
		return BasisDevicesSeen
	case ProductWSAT:
		return BasisUsersSeen
	}
	return BasisActiveWithoutHidden
}

// Bases lists the bases a product can be counted on, default first.
func (p Product) Bases() []Basis {
	var out []Basis
	for _, b := range AllBases() {
		if b.Product() == p {
			out = append(out, b)
		}
	}
	return out
}

// ParseProduct accepts a CSV product name.
func ParseProduct(s string) (Product, error) {
	p := Product(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Products() {
		if p == known {
			return p, nil
		}
	}
	return "", fmt.Errorf("%q is not a product; use endpoint, dns or wsat", s)
}

// Basis is how a site's usage is counted, named as in the mapping CSV (PRODUCT.md §2.7).
type Basis string

const (
	BasisActiveWithoutHidden Basis = "active_without_hidden" // endpoint default: the console's "Active Devices"
	BasisActive              Basis = "active"                // endpoint, hidden devices included
	BasisSeen30d             Basis = "seen_30d"              // endpoint, seen in the last 30 days (invoice basis)
	BasisNotDeactivated      Basis = "not_deactivated"       // endpoint, not deactivated right now (endpoint list)
	BasisDevicesSeen         Basis = "devices_seen"          // dns default
	BasisDevicesSeen30d      Basis = "devices_seen_30d"      // dns
	BasisUsersSeen           Basis = "users_seen"            // wsat default
	BasisUsersSeen30d        Basis = "users_seen_30d"        // wsat
)

// AllBases lists every basis, grouped by product, each product's default first.
func AllBases() []Basis {
	return []Basis{
		BasisActiveWithoutHidden, BasisActive, BasisSeen30d, BasisNotDeactivated,
		BasisDevicesSeen, BasisDevicesSeen30d,
		BasisUsersSeen, BasisUsersSeen30d,
	}
}

// ParseBasis accepts a CSV basis name.
func ParseBasis(s string) (Basis, error) {
	b := Basis(strings.ToLower(strings.TrimSpace(s)))
	if b.Valid() {
		return b, nil
	}
	names := make([]string, 0, 8)
	for _, k := range AllBases() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("%q is not a count basis; use one of %s", s, strings.Join(names, ", "))
}

// Valid reports whether b is a known basis.
func (b Basis) Valid() bool { return b.Product() != "" }

// Product is the product line the basis counts.
func (b Basis) Product() Product {
	switch b {
	case BasisActiveWithoutHidden, BasisActive, BasisSeen30d, BasisNotDeactivated:
		return ProductEndpoint
	case BasisDevicesSeen, BasisDevicesSeen30d:
		return ProductDNS
	case BasisUsersSeen, BasisUsersSeen30d:
		return ProductWSAT
	}
	return ""
}

// ReportType is the usage report the basis is read from (§4.1); "" for
// BasisNotDeactivated, which comes from the endpoint list.
func (b Basis) ReportType() ReportType {
	switch b {
	case BasisActiveWithoutHidden:
		return ReportActiveEndpointsWithoutHidden
	case BasisActive:
		return ReportActiveEndpoints
	case BasisSeen30d:
		return ReportEndpointsSeenInLast30Days
	case BasisDevicesSeen:
		return ReportDevicesSeen
	case BasisDevicesSeen30d:
		return ReportDevicesSeenInLast30Days
	case BasisUsersSeen:
		return ReportUsersSeen
	case BasisUsersSeen30d:
		return ReportUsersSeenInLast30Days
	}
	return ""
}

// Label describes the basis wherever a count is shown.
func (b Basis) Label() string {
	switch b {
	case BasisActiveWithoutHidden:
		return "Active devices (without hidden)"
	case BasisActive:
		return "Active devices (including hidden)"
	case BasisSeen30d:
		return "Devices seen in the last 30 days"
	case BasisNotDeactivated:
		return "Devices not deactivated right now"
	case BasisDevicesSeen:
		return "DNS devices seen"
	case BasisDevicesSeen30d:
		return "DNS devices seen in the last 30 days"
	case BasisUsersSeen:
		return "Training users seen"
	case BasisUsersSeen30d:
		return "Training users seen in the last 30 days"
	}
	return string(b)
}
