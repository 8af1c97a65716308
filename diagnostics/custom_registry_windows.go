package diagnostics

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// windowsRegistry reads the registry with the user's own rights.
type windowsRegistry struct{}

func systemRegistry() registryReader { return windowsRegistry{} }

var hives = map[string]registry.Key{
	"HKLM": registry.LOCAL_MACHINE, "HKCU": registry.CURRENT_USER, "HKCR": registry.CLASSES_ROOT,
	"HKU": registry.USERS, "HKCC": registry.CURRENT_CONFIG,
}

func (windowsRegistry) Read(key, value string) (string, error) {
	root, path, ok := registryRoot(key)
	if !ok {
		return "", fmt.Errorf("%q: unknown hive", key)
	}
	k, err := registry.OpenKey(hives[root], path, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", errRegistryMissing
	}
	if err != nil {
		return "", err
	}
	defer k.Close()
	_, kind, err := k.GetValue(value, nil)
	if errors.Is(err, registry.ErrNotExist) {
		return "", errRegistryMissing
	}
	if err != nil {
		return "", err
	}
	switch kind {
	case registry.SZ, registry.EXPAND_SZ:
		s, _, err := k.GetStringValue(value)
		return s, err
	case registry.MULTI_SZ:
		s, _, err := k.GetStringsValue(value)
		return strings.Join(s, "\n"), err
	case registry.DWORD, registry.QWORD:
		n, _, err := k.GetIntegerValue(value)
		return strconv.FormatUint(n, 10), err
	}
	b, _, err := k.GetBinaryValue(value)
	return fmt.Sprintf("%x", b), err
}
