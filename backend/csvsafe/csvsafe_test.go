package csvsafe

import (
	"strings"
	"testing"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"LAPTOP-01":               "LAPTOP-01",
		"=HYPERLINK(\"x\",\"y\")": "'=HYPERLINK(\"x\",\"y\")",
		"+1":                      "'+1",
		"-2+3":                    "'-2+3",
		"@SUM(A1)":                "'@SUM(A1)",
		"\t=1":                    "'\t=1",
		"\r=1":                    "'\r=1",
		"a=b":                     "a=b",
		"'quoted":                 "'quoted",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriterGuardsEveryCell(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b)
	if err := w.Write([]string{"=1+1", "ok", "@x"}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if got := b.String(); got != "'=1+1,ok,'@x\n" {
		t.Errorf("got %q", got)
	}
}
