// Package secrets keeps credentials in the OS keychain (Windows Credential Manager, macOS
// Keychain, Linux Secret Service) and nowhere else. Entries are namespaced per data folder,
// so the demo, tests and a second installation never read or overwrite a real one's secrets.
package secrets

import (
	"errors"
	"fmt"
	"sync"

	"github.com/zalando/go-keyring"

	"cwm-webroot/backend/buildinfo"
)

// Names of the secrets the app stores. Each is a single value: the keychains limit an
// entry's size (about 2.5 KB on Windows), so nothing is bundled.
const (
	ManagePrivateKey    = "manage/private-key"
	WebrootClientSecret = "webroot/client-secret"
	WebrootPassword     = "webroot/admin-password"
	WebrootRefreshToken = "webroot/refresh-token"
	SMTPPassword        = "smtp/password"
)

// ErrNotFound means no secret is saved under that name.
var ErrNotFound = errors.New("secret not saved")

// ErrUnavailable wraps every failure to reach the keychain itself.
var ErrUnavailable = errors.New("the OS keychain is not available")

// Store is what the rest of the app needs from a keychain.
type Store interface {
	Set(name, value string) error
	Get(name string) (string, error)
	Delete(name string) error
	// Has reports whether a secret is saved, for "saved / not saved" in the UI.
	Has(name string) (bool, error)
}

// Keychain stores secrets in the OS keychain under one service name.
type Keychain struct {
	service string
}

// ServiceName is the keychain service for a data folder: the default installation uses the
// bare product name; any other folder (demo, tests, --data-dir) gets its own namespace.
func ServiceName(dataDir string, isDefault bool) string {
	if isDefault {
		return buildinfo.ExecutableName
	}
	return buildinfo.ExecutableName + " [" + dataDir + "]"
}

// NewKeychain returns the keychain store for a service name from ServiceName.
func NewKeychain(service string) *Keychain { return &Keychain{service: service} }

// Service is the namespace this store writes under.
func (k *Keychain) Service() string { return k.service }

func (k *Keychain) wrap(op, name string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%s %s: %w", op, name, ErrNotFound)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("%s %s: the value is too large for the OS keychain", op, name)
	default:
		return fmt.Errorf("%s %s: %w: %s (%s)", op, name, ErrUnavailable, err.Error(), unavailableHint)
	}
}

// Set saves or replaces a secret.
func (k *Keychain) Set(name, value string) error {
	return k.wrap("saving", name, keyring.Set(k.service, name, value))
}

// Get reads a secret; errors.Is(err, ErrNotFound) when none is saved.
func (k *Keychain) Get(name string) (string, error) {
	v, err := keyring.Get(k.service, name)
	return v, k.wrap("reading", name, err)
}

// Delete removes a secret; deleting one that is not saved is not an error.
func (k *Keychain) Delete(name string) error {
	err := k.wrap("deleting", name, keyring.Delete(k.service, name))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Has reports whether a secret is saved.
func (k *Keychain) Has(name string) (bool, error) {
	_, err := k.Get(name)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// DeleteAll removes every secret of this namespace (used when a demo folder is thrown away).
func (k *Keychain) DeleteAll() error {
	err := keyring.DeleteAll(k.service)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("deleting secrets of %s: %w: %s", k.service, ErrUnavailable, err.Error())
	}
	return nil
}

// Check writes, reads back and deletes a probe entry: the only reliable way to know the
// keychain is reachable and unlocked before the user types a secret into a form.
func (k *Keychain) Check() error {
	const probe = "probe"
	if err := k.Set(probe, "ok"); err != nil {
		return err
	}
	got, err := k.Get(probe)
	if err != nil {
		return err
	}
	if got != "ok" {
		return fmt.Errorf("%w: a test value read back differently", ErrUnavailable)
	}
	return k.Delete(probe)
}

// Memory is an in-process Store for narrow unit tests of other packages.
type Memory struct {
	mu     sync.Mutex
	values map[string]string
	// Fail, when set, is returned by every call: a keychain that is locked or missing.
	Fail error
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{values: map[string]string{}} }

// Set saves a secret.
func (m *Memory) Set(name, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	m.values[name] = value
	return nil
}

// Get reads a secret.
func (m *Memory) Get(name string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", m.Fail
	}
	v, ok := m.values[name]
	if !ok {
		return "", fmt.Errorf("reading %s: %w", name, ErrNotFound)
	}
	return v, nil
}

// Delete removes a secret.
func (m *Memory) Delete(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	delete(m.values, name)
	return nil
}

// Has reports whether a secret is saved.
func (m *Memory) Has(name string) (bool, error) {
	_, err := m.Get(name)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
