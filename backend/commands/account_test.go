package commands

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/install"
)

// runCLI runs a command line with its own data folder and returns exit code and output.
func runCLI(t *testing.T, dataDir string, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	inv, err := cli.Parse(append([]string{"--data-dir", dataDir}, args...), false)
	if err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	var out, errb bytes.Buffer
	code := cli.Main(inv, cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}

var signupArgs = []string{"signup", "--company-name", "Bluewave IT", "--time-zone", "America/Chicago",
	"--manage-company-id", "bluewave", "--manage-site", "na.myconnectwise.net", "--name", "Dana Scully", "--email", "dana@bluewave.example"}

func TestSignupCommandThenLogin(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, dir, "a-long-enough-passphrase\n", nil, signupArgs...)
	if code != cli.ExitOK || !strings.Contains(out, "Registered Bluewave IT") {
		t.Fatalf("signup: %d %q %q", code, out, errOut)
	}
	inst, err := install.OpenDir(context.Background(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if _, err := account.New(inst.Store, nil, nil).Login(context.Background(), "dana@bluewave.example", "a-long-enough-passphrase"); err != nil {
		t.Fatalf("login after CLI signup: %v", err)
	}
	// A second sign-up is refused with exit 2.
	code, _, errOut = runCLI(t, dir, "", map[string]string{"CWM_WEBROOT_PASSWORD": "another-long-passphrase"}, signupArgs...)
	if code != cli.ExitUsage || !strings.Contains(errOut, "already has a registered company") {
		t.Fatalf("second signup: %d %q", code, errOut)
	}
}

func TestSignupCommandNamesBadFieldsAndSavesNothing(t *testing.T) {
	dir := t.TempDir()
	args := []string{"signup", "--company-name", "", "--time-zone", "Nowhere/Town", "--manage-company-id", "bluewave",
		"--manage-site", "http://cw.example.com", "--name", "Dana", "--email", "dana@"}
	code, _, errOut := runCLI(t, dir, "a-long-enough-passphrase\n", nil, args...)
	if code != cli.ExitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, f := range []string{"Company Name:", "Primary Time Zone:", "Manage Site:", "Your Email Address:"} {
		if !strings.Contains(errOut, f) {
			t.Errorf("stderr does not name %s: %q", f, errOut)
		}
	}
	// A weak password is refused before anything is saved.
	code, _, errOut = runCLI(t, dir, "short\n", nil, signupArgs...)
	if code != cli.ExitUsage || !strings.Contains(errOut, "Password:") {
		t.Fatalf("weak password: %d %q", code, errOut)
	}
	code, _, _ = runCLI(t, dir, "a-long-enough-passphrase\n", nil, signupArgs...)
	if code != cli.ExitOK {
		t.Fatal("a refused sign-up left a half-made company behind")
	}
	code, _, errOut = runCLI(t, dir, "", nil, signupArgs...)
	if code != cli.ExitUsage || !strings.Contains(errOut, "CWM_WEBROOT_PASSWORD") {
		t.Fatalf("missing password: %d %q", code, errOut)
	}
}

func TestUsersResetPassword(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCLI(t, dir, "a-long-enough-passphrase\n", nil, signupArgs...); code != 0 {
		t.Fatal(e)
	}
	code, out, errOut := runCLI(t, dir, "", map[string]string{"CWM_WEBROOT_PASSWORD": "replacement-passphrase-9"}, "users", "reset-password", "dana@bluewave.example")
	if code != cli.ExitOK || !strings.Contains(out, "unlocked") {
		t.Fatalf("reset: %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, dir, "replacement-passphrase-9\n", nil, "users", "reset-password", "ghost@bluewave.example")
	if code != cli.ExitUsage || !strings.Contains(errOut, "no user") {
		t.Fatalf("unknown user: %d %q", code, errOut)
	}
	code, _, _ = runCLI(t, dir, "", nil, "users", "delete", "x")
	if code != cli.ExitUsage {
		t.Fatalf("bad subcommand exit %d", code)
	}
}
