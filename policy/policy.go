// Package policy reads what an organisation decides for every user through Group Policy or an
// MDM: where the profile lives and whether Apuri starts at sign-in. On Windows these are the
// values under Software\Policies\Apuri, machine-wide (HKLM) before per-user (HKCU); elsewhere
// there is no policy and everything is the user's to choose.
//
// The names here are the one source of truth: the code reads them, and the ADMX template in
// packaging/windows, whose test compares against them, writes them.
package policy

import (
	"errors"
	"fmt"
	"strings"
)

// KeyPath is the policy key under HKEY_LOCAL_MACHINE and HKEY_CURRENT_USER.
const KeyPath = `Software\Policies\Apuri`

// The values under KeyPath.
const (
	// ValueProfilePath is the profile file to use (REG_SZ or REG_EXPAND_SZ, an absolute path).
	ValueProfilePath = "ProfilePath"
	// ValueAutostart is 1 to start Apuri at sign-in, 0 not to (REG_DWORD).
	ValueAutostart = "Autostart"
)

// Policy is what the organisation has decided; a zero field leaves it to the user.
type Policy struct {
	// ProfilePath replaces the user's own profile file and the system-wide default path.
	ProfilePath string
	// Autostart, when set, decides whether Apuri starts at sign-in; the user cannot change it.
	Autostart *bool
}

// Managed says whether any policy is set.
func (p Policy) Managed() bool { return p.ProfilePath != "" || p.Autostart != nil }

// Merge combines the machine's and the user's policy: each value the machine sets wins, as
// Group Policy gives Computer Configuration the last word.
func Merge(machine, user Policy) Policy {
	out := user
	if machine.ProfilePath != "" {
		out.ProfilePath = machine.ProfilePath
	}
	if machine.Autostart != nil {
		out.Autostart = machine.Autostart
	}
	return out
}

// Hive is one policy key as read from the registry; ok is false when the value is not there.
type Hive interface {
	String(name string) (s string, ok bool, err error)
	Integer(name string) (n uint64, ok bool, err error)
}

// FromHive decodes one policy key. A value of the wrong type or out of range is left unset
// and reported, so one bad value never voids the others.
func FromHive(h Hive) (Policy, error) {
	var p Policy
	var errs []error
	if s, ok, err := h.String(ValueProfilePath); err != nil {
		errs = append(errs, fmt.Errorf("policy %s: %w", ValueProfilePath, err))
	} else if ok {
		if path, err := profilePath(s); err != nil {
			errs = append(errs, fmt.Errorf("policy %s: %w", ValueProfilePath, err))
		} else {
			p.ProfilePath = path
		}
	}
	if n, ok, err := h.Integer(ValueAutostart); err != nil {
		errs = append(errs, fmt.Errorf("policy %s: %w", ValueAutostart, err))
	} else if ok {
		switch n {
		case 0, 1:
			on := n == 1
			p.Autostart = &on
		default:
			errs = append(errs, fmt.Errorf("policy %s: %d is neither 0 nor 1", ValueAutostart, n))
		}
	}
	return p, errors.Join(errs...)
}

// profilePath accepts only an absolute Windows path (C:\… or \\server\share\…): a relative one
// would depend on the directory Apuri happens to start in. Empty means unset.
func profilePath(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	drive := len(s) >= 3 && isLetter(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/')
	unc := strings.HasPrefix(s, `\\`) && len(s) > 2
	if !drive && !unc {
		return "", fmt.Errorf("%q is not an absolute path", s)
	}
	return s, nil
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
