package suggest

import "testing"

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"Acme Pty. Ltd.":                    "acme",
		"ACME Corporation":                  "acme",
		"Acme Corp":                         "acme",
		"Acme, Inc.":                        "acme",
		"Acme Incorporated":                 "acme",
		"Globex, L.L.C.":                    "globex",
		"Globex L L C":                      "globex",
		"Initech Co. Ltd.":                  "initech",
		"Initech Company Limited":           "initech",
		"The Gardner Group":                 "gardner group",
		"Acme Company, The":                 "acme",
		"The":                               "the",
		"Smith & Co.":                       "smith",
		"Smith and Company":                 "smith",
		"Müller GmbH & Co. KG":              "muller",
		"Société Générale S.A.":             "societe generale",
		"Société Générale SA":               "societe generale",
		"Straße Bau":                        "strasse bau",
		"Ørsted A/S":                        "orsted",
		"Æbeltoft ApS":                      "aebeltoft",
		"Œuvre Sàrl":                        "oeuvre",
		"Dupont S.à r.l.":                   "dupont",
		"Kowalski Sp. z o.o.":               "kowalski",
		"Grupo Alvarez S.A. de C.V.":        "grupo alvarez",
		"Rossi Costruzioni S.p.A.":          "rossi costruzioni",
		"Bianchi S.r.l.":                    "bianchi",
		"Brouwerij de Kroon B.V.":           "brouwerij de kroon",
		"Philips N.V.":                      "philips",
		"Kauppa Oyj":                        "kauppa",
		"Svensson Bygg AB":                  "svensson bygg",
		"Dansk Design ApS":                  "dansk design",
		"Yamada Shoji K.K.":                 "yamada shoji",
		"Tanaka PLC":                        "tanaka",
		"Kessler Lowe and Ortiz, LLP":       "kessler lowe and ortiz",
		"Evans Family Practice, P.A.":       "evans family practice",
		"Smith Dental, P.C.":                "smith dental",
		"Fernández y Cía":                   "fernandez",
		"Haas Bäckerei e.K.":                "haas backerei",
		"Çelik İnşaat A.Ş.":                 "celik insaat",
		"Łódź Logistics":                    "lodz logistics",
		"O'Brien's Café":                    "obriens cafe",
		"McDonald’s Farm":                   "mcdonalds farm",
		"AT&T":                              "at and t",
		"M&M Auto":                          "m and m auto",
		"Tri-County Heating & Air, Inc.":    "tri county heating and air",
		"U.S.A. Plumbing":                   "usa plumbing",
		"Pinnacle I.T. Services":            "pinnacle it services",
		"acme.com":                          "acme com",
		"Wilson + Sons / Electric":          "wilson sons electric",
		"  Acme \t  Inc  ":                  "acme",
		"Ｆｕｌｌｗｉｄｔｈ Ltd":                     "fullwidth",
		"Acme Holdings Pty Ltd":             "acme holdings",
		"Co-op Foods Co":                    "co op foods",
		"Site 2":                            "site 2",
		"Site 3":                            "site 3",
		"Building 7 (Annex)":                "building 7 annex",
		"Inc.":                              "inc",
		"LLC Ltd":                           "llc",
		"":                                  "",
		"!!!":                               "",
		"Acme Corp - Chicago":               "acme corp chicago",
		"Contoso Pharmaceuticals GmbH & Co": "contoso pharmaceuticals",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeKeepsDigitsApart(t *testing.T) {
	if Normalize("Site 2") == Normalize("Site 3") {
		t.Error("Site 2 and Site 3 normalise alike")
	}
	if Normalize("Route 66 Diner LLC") != "route 66 diner" {
		t.Errorf("got %q", Normalize("Route 66 Diner LLC"))
	}
}

func TestNormalizeIsStableOnFixture(t *testing.T) {
	for _, p := range loadPairs(t) {
		for _, n := range []string{p.site, p.company} {
			once := Normalize(n)
			if twice := Normalize(once); twice != once {
				t.Errorf("Normalize(%q) = %q but Normalize of that = %q", n, once, twice)
			}
		}
	}
}

func TestOneTypo(t *testing.T) {
	yes := [][2]string{{"contosso", "contoso"}, {"traders", "tarders"}, {"house", "hosue"}, {"bank", "bnak"},
		{"insurance", "insurence"}, {"importers", "importer"}, {"gellert", "gelert"}}
	no := [][2]string{{"abc", "abd"}, {"hansen", "hanson"}, {"peterson", "petersen"}, {"toy", "toys"},
		{"smith", "smith"}, {"baxter", "daxter"}, {"contoso", "kontoso"}, {"route66", "route67"}, {"carlson", "carlsen"}}
	for _, p := range yes {
		if !oneTypo(p[0], p[1]) || !oneTypo(p[1], p[0]) {
			t.Errorf("oneTypo(%q, %q) = false", p[0], p[1])
		}
	}
	for _, p := range no {
		if oneTypo(p[0], p[1]) || oneTypo(p[1], p[0]) {
			t.Errorf("oneTypo(%q, %q) = true", p[0], p[1])
		}
	}
}

func TestOSA(t *testing.T) {
	cases := []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"ca", "ac", 1}, {"contoso", "contosso", 1}, {"ø", "o", 1}}
	for _, c := range cases {
		if d := osa([]rune(c.a), []rune(c.b)); d != c.d {
			t.Errorf("osa(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
	}
}
