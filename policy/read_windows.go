package policy

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// Read reads the machine's and the user's policy and merges them. What could not be read is
// reported beside the rest, which still applies.
func Read() (Policy, error) {
	machine, merr := readKey(registry.LOCAL_MACHINE, "HKLM")
	user, uerr := readKey(registry.CURRENT_USER, "HKCU")
	return Merge(machine, user), errors.Join(merr, uerr)
}

func readKey(root registry.Key, name string) (Policy, error) {
	k, err := registry.OpenKey(root, KeyPath, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return Policy{}, nil
	}
	if err != nil {
		return Policy{}, fmt.Errorf("open %s\\%s: %w", name, KeyPath, err)
	}
	defer k.Close()
	p, err := FromHive(regHive{k})
	if err != nil {
		return p, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// regHive reads one open policy key.
type regHive struct{ k registry.Key }

func (h regHive) String(name string) (string, bool, error) {
	s, typ, err := h.k.GetStringValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if typ == registry.EXPAND_SZ {
		if s, err = registry.ExpandString(s); err != nil {
			return "", false, err
		}
	}
	return s, true, nil
}

func (h regHive) Integer(name string) (uint64, bool, error) {
	n, _, err := h.k.GetIntegerValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return n, true, nil
}
