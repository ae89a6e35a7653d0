package secrets

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// These tests use the real OS keychain. On Linux CI runs them inside dbus-run-session with
// an unlocked gnome-keyring; when no Secret Service is reachable they fail unless
// CWM_WEBROOT_SKIP_KEYCHAIN=1 says the machine has none on purpose.
func realKeychain(t *testing.T) *Keychain {
	t.Helper()
	k := NewKeychain(ServiceName(t.TempDir(), false))
	if err := k.Check(); err != nil {
		if os.Getenv("CWM_WEBROOT_SKIP_KEYCHAIN") == "1" {
			t.Skipf("no keychain on this machine: %v", err)
		}
		t.Fatalf("keychain not reachable (run the tests through `make test`, which starts one): %v", err)
	}
	t.Cleanup(func() { _ = k.DeleteAll() })
	return k
}

func TestKeychainRoundTrip(t *testing.T) {
	k := realKeychain(t)
	if has, err := k.Has(ManagePrivateKey); err != nil || has {
		t.Fatalf("Has before Set = %v, %v; want false", has, err)
	}
	if err := k.Set(ManagePrivateKey, "pr1vate-Key/with+symbols="); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(ManagePrivateKey)
	if err != nil || got != "pr1vate-Key/with+symbols=" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := k.Set(ManagePrivateKey, "rotated"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get(ManagePrivateKey); got != "rotated" {
		t.Fatalf("after replace Get = %q, want rotated", got)
	}
	if err := k.Delete(ManagePrivateKey); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(ManagePrivateKey); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := k.Delete(ManagePrivateKey); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
}

func TestNamespacesDoNotSeeEachOther(t *testing.T) {
	a := realKeychain(t)
	b := realKeychain(t)
	if err := a.Set(WebrootPassword, "from-a"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(WebrootPassword); !errors.Is(err, ErrNotFound) {
		t.Fatalf("namespace b read a's secret: %v", err)
	}
	if err := b.Set(WebrootPassword, "from-b"); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Get(WebrootPassword); got != "from-a" {
		t.Fatalf("b overwrote a's secret: a now has %q", got)
	}
	if err := b.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Get(WebrootPassword); got != "from-a" {
		t.Fatalf("DeleteAll of b removed a's secret: %q", got)
	}
}

func TestServiceNameSeparatesDataFolders(t *testing.T) {
	if ServiceName("/x", true) != "cwm-webroot" {
		t.Fatal("the default installation must use the bare service name")
	}
	if ServiceName("/a", false) == ServiceName("/b", false) || ServiceName("/a", false) == "cwm-webroot" {
		t.Fatal("other data folders must get their own namespace")
	}
}

// TestClearErrorWithoutKeychain runs this test binary again with no D-Bus session, so the
// Secret Service cannot be reached, and checks the error says what to do.
func TestClearErrorWithoutKeychain(t *testing.T) {
	if os.Getenv("CWM_SECRETS_CHILD") == "1" {
		err := NewKeychain("cwm-webroot-test").Set("x", "y")
		if err == nil {
			os.Exit(0)
		}
		os.Stdout.WriteString(err.Error())
		os.Exit(7)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestClearErrorWithoutKeychain$")
	cmd.Env = []string{"CWM_SECRETS_CHILD=1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 7 {
		t.Fatalf("child: want a keychain error (exit 7), got %v, output %q", err, out)
	}
	msg := string(out)
	if !strings.Contains(msg, "OS keychain is not available") || !strings.Contains(msg, "saving x") || !strings.Contains(msg, unavailableHint) {
		t.Fatalf("error does not say what failed and what to do: %q", msg)
	}
}

func TestMemoryStore(t *testing.T) {
	m := NewMemory()
	if err := m.Set(SMTPPassword, "p"); err != nil {
		t.Fatal(err)
	}
	if has, _ := m.Has(SMTPPassword); !has {
		t.Fatal("Has after Set = false")
	}
	m.Fail = ErrUnavailable
	if _, err := m.Get(SMTPPassword); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Fail not returned: %v", err)
	}
}
