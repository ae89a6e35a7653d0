package cli

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseGlobalFlagsAnywhere(t *testing.T) {
	cases := []struct {
		args    []string
		command string
		dataDir string
		rest    []string
	}{
		{[]string{"--data-dir", "/d", "version"}, "version", "/d", nil},
		{[]string{"version", "--data-dir", "/d"}, "version", "/d", nil},
		{[]string{"--data-dir=/d", "sync", "--dry-run", "--json"}, "sync", "/d", []string{"--dry-run", "--json"}},
		{[]string{"sync", "--json", "--data-dir=/e"}, "sync", "/e", []string{"--json"}},
		{nil, "", "", nil},
		{[]string{"demo"}, "demo", "", nil},
	}
	for _, c := range cases {
		inv, err := Parse(c.args, false)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if inv.Command != c.command || inv.DataDir != c.dataDir || strings.Join(inv.Args, " ") != strings.Join(c.rest, " ") {
			t.Errorf("%v: got command %q dir %q args %v", c.args, inv.Command, inv.DataDir, inv.Args)
		}
	}
}

func TestParseGUIForms(t *testing.T) {
	inv, err := Parse([]string{"--autostart"}, false)
	if err != nil || !inv.GUI() || !inv.Autostart {
		t.Fatalf("--autostart: %+v %v", inv, err)
	}
	inv, err = Parse([]string{"cwm-webroot://activate?token=abc"}, false)
	if err != nil || !inv.GUI() || inv.Link != "cwm-webroot://activate?token=abc" {
		t.Fatalf("link: %+v %v", inv, err)
	}
	if inv, _ := Parse([]string{"version"}, false); inv.GUI() {
		t.Fatal("version must not start the window")
	}
	if inv, _ := Parse([]string{"--help"}, false); inv.GUI() || !inv.Help {
		t.Fatal("--help must print usage, not start the window")
	}
}

func TestWailsDevFlagsOnlyInDevBuilds(t *testing.T) {
	args := []string{"-assetdir", "frontend/dist", "-devserver", "127.0.0.1:34115", "-loglevel", "warning"}
	inv, err := Parse(args, true)
	if err != nil || !inv.GUI() {
		t.Fatalf("dev build: %+v %v", inv, err)
	}
	if _, err := Parse(args, false); err == nil {
		t.Fatal("production build accepted Wails dev flags")
	}
}

func TestParseErrors(t *testing.T) {
	for _, args := range [][]string{{"--data-dir"}, {"--data-dir="}, {"--bogus"}} {
		if _, err := Parse(args, false); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	inv, err := Parse(args, false)
	if err != nil {
		return -1, "", err.Error()
	}
	code := Main(inv, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestVersionHelpAndUnknown(t *testing.T) {
	code, out, _ := run("version")
	if code != ExitOK || !strings.Contains(out, "cwm-webroot") || !strings.Contains(out, "Manage Webroot Integration") {
		t.Fatalf("version: %d %q", code, out)
	}
	code, out, _ = run("--help")
	if code != ExitOK || !strings.Contains(out, "Usage:") || !strings.Contains(out, "--data-dir") || !strings.Contains(out, "version") {
		t.Fatalf("--help: %d %q", code, out)
	}
	code, _, errOut := run("frobnicate")
	if code != ExitUsage || !strings.Contains(errOut, `unknown command "frobnicate"`) || !strings.Contains(errOut, "Usage:") {
		t.Fatalf("unknown: %d %q", code, errOut)
	}
}

func TestHelpFitsAnEightyColumnTerminal(t *testing.T) {
	var b strings.Builder
	Usage(&b)
	for i, line := range strings.Split(b.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("help line %d is %d columns wide: %q", i+1, n, line)
		}
	}
	if !strings.Contains(b.String(), "  cwm-webroot version\n      print the version\n") {
		t.Errorf("a command and its summary are not laid out one under the other:\n%s", b.String())
	}
}
