package support

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Secrets stores the channels' tokens and credentials. They live only in the OS keyring:
// never in the profile, the settings or the outbox.
type Secrets interface {
	// Get returns the secret of account: ErrNoSecret when none is stored, an error wrapping
	// ErrNoKeyring when the system has no keyring service.
	Get(account string) (string, error)
	Set(account, secret string) error
	Delete(account string) error
}

var (
	// ErrNoSecret: the keyring works but holds no secret for the account.
	ErrNoSecret = errors.New("no secret stored")
	// ErrNoKeyring: the system has no keyring service (no Secret Service on the session bus,
	// or no session bus at all). The channels that need no secret still work.
	ErrNoKeyring = errors.New("no keyring service")
)

// SecretAccount names a channel's secret in the keyring: the channel and its address, so a
// profile that points elsewhere never sends an old token to a new server.
func SecretAccount(channel, target string) string {
	return channel + " " + strings.TrimRight(target, "/")
}

// KeyringService is the service name Apuri's secrets are stored under.
const KeyringService = "apuri"

// Keyring is the OS keyring: the Secret Service (GNOME Keyring, KWallet) on Linux, the
// Keychain on macOS, the Credential Manager on Windows.
type Keyring struct {
	// Service names Apuri's entries; default KeyringService.
	Service string
	// Timeout bounds one keyring call, which may wait for the user to unlock the keyring.
	Timeout time.Duration
}

func (k Keyring) service() string {
	if k.Service != "" {
		return k.Service
	}
	return KeyringService
}

func (k Keyring) timeout() time.Duration {
	if k.Timeout > 0 {
		return k.Timeout
	}
	return 2 * time.Minute
}

// Get reads a secret.
func (k Keyring) Get(account string) (string, error) {
	var secret string
	err := k.call(func() (err error) {
		secret, err = keyring.Get(k.service(), account)
		return err
	})
	return secret, err
}

// Set stores a secret, replacing an old one.
func (k Keyring) Set(account, secret string) error {
	return k.call(func() error { return keyring.Set(k.service(), account, secret) })
}

// Delete removes a secret; there being none is fine.
func (k Keyring) Delete(account string) error {
	err := k.call(func() error { return keyring.Delete(k.service(), account) })
	if errors.Is(err, ErrNoSecret) {
		return nil
	}
	return err
}

// call runs a keyring operation with a deadline and maps its errors to ErrNoSecret and
// ErrNoKeyring.
func (k Keyring) call(op func() error) error {
	if !sessionBusLikely() {
		return fmt.Errorf("%w: no session bus", ErrNoKeyring)
	}
	done := make(chan error, 1)
	go func() { done <- op() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(k.timeout()):
		return fmt.Errorf("%w: the keyring did not answer in %s", ErrNoKeyring, k.timeout())
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNoSecret
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("keyring: %w", err)
	}
	return fmt.Errorf("%w: %v", ErrNoKeyring, err)
}

// sessionBusLikely says whether a D-Bus session bus can be found without starting one: the
// keyring library would otherwise launch a bus of its own (dbus-launch), which outlives us.
func sessionBusLikely() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return true
	}
	if u, err := user.Current(); err == nil {
		if _, err := os.Stat(filepath.Join("/run/user", u.Uid, "bus")); err == nil {
			return true
		}
	}
	return false
}

// MemorySecrets keeps secrets in memory: for tests, and for systems without a keyring where
// the caller chooses to ask for the secret each time.
type MemorySecrets struct {
	mu sync.Mutex
	m  map[string]string
	// Unavailable makes every call fail like a system without a keyring.
	Unavailable bool
}

// Get returns the secret or ErrNoSecret.
func (s *MemorySecrets) Get(account string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Unavailable {
		return "", ErrNoKeyring
	}
	v, ok := s.m[account]
	if !ok {
		return "", ErrNoSecret
	}
	return v, nil
}

// Set stores the secret.
func (s *MemorySecrets) Set(account, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Unavailable {
		return ErrNoKeyring
	}
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[account] = secret
	return nil
}

// Delete removes the secret.
func (s *MemorySecrets) Delete(account string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Unavailable {
		return ErrNoKeyring
	}
	delete(s.m, account)
	return nil
}
