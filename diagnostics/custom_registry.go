package diagnostics

import (
	"context"
	"errors"
	"strings"
)

// registryReader reads one value of the Windows registry as text (a number as decimal, a list
// as its lines); nil where there is no registry.
type registryReader interface {
	Read(key, value string) (string, error)
}

// errRegistryMissing is a key or value that is not there.
var errRegistryMissing = errors.New("no such registry key or value")

// runRegistry reads a value: it must exist and, when the profile says what it should read,
// read so. Elsewhere than on Windows the check is skipped, and says why.
func (c *customCheck) runRegistry(ctx context.Context) Result {
	target := c.def.Key
	if c.def.Value != "" {
		target += `\` + c.def.Value
	}
	if c.registry == nil {
		return Skip(c.msg("check.custom.registry_unsupported")).Because(ReasonUnsupported).Detail(DetailTarget, target)
	}
	got, err := c.registry.Read(c.def.Key, c.def.Value)
	switch {
	case errors.Is(err, errRegistryMissing):
		Logf(ctx, "%s is not there", target)
		return Fail(c.msg("check.custom.registry_missing")).Because(ReasonMissing).Detail(DetailTarget, target)
	case err != nil:
		Logf(ctx, "%s cannot be read: %v", target, err)
		return Fail(c.msg("check.custom.registry_missing")).Because(ReasonMissing).
			Detail(DetailTarget, target).Detail(DetailError, err.Error())
	}
	Logf(ctx, "%s reads %q", target, got)
	if c.def.Expect != "" && !strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(c.def.Expect)) {
		return Fail(c.msg("check.custom.registry_wrong", "want", c.def.Expect)).Because(ReasonMismatch).Detail(DetailTarget, target)
	}
	return OK(c.msg("check.custom.registry_ok")).Detail(DetailTarget, target)
}

// registryRoot splits a key written with its hive ("HKLM\Software\Example") into the hive's
// short name and the path below it; ok is false for a hive Apuri does not read.
func registryRoot(key string) (root, path string, ok bool) {
	hive, path, _ := strings.Cut(key, `\`)
	switch strings.ToUpper(hive) {
	case "HKEY_LOCAL_MACHINE", "HKLM":
		return "HKLM", path, true
	case "HKEY_CURRENT_USER", "HKCU":
		return "HKCU", path, true
	case "HKEY_CLASSES_ROOT", "HKCR":
		return "HKCR", path, true
	case "HKEY_USERS", "HKU":
		return "HKU", path, true
	case "HKEY_CURRENT_CONFIG", "HKCC":
		return "HKCC", path, true
	}
	return "", "", false
}
