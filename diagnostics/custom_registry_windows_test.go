package diagnostics

import (
	"errors"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// TestWindowsRegistryReads reads values of every kind through the real registry calls, from a
// key of the user's own that the test writes and removes (Wine runs it on Linux:
// test/packaging/windows).
func TestWindowsRegistryReads(t *testing.T) {
	const path = `Software\ApuriTest\Custom`
	k, _, err := registry.CreateKey(registry.CURRENT_USER, path, registry.ALL_ACCESS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		k.Close()
		_ = registry.DeleteKey(registry.CURRENT_USER, path)
		_ = registry.DeleteKey(registry.CURRENT_USER, `Software\ApuriTest`)
	})
	for _, err := range []error{
		k.SetStringValue("Version", "7.2"),
		k.SetDWordValue("Enabled", 1),
		k.SetQWordValue("Big", 1<<40),
		k.SetStringsValue("Servers", []string{"a", "b"}),
		k.SetStringValue("", "default"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	reg := systemRegistry()
	for value, want := range map[string]string{"Version": "7.2", "Enabled": "1", "Big": "1099511627776", "Servers": "a\nb", "": "default"} {
		for _, key := range []string{`HKCU\` + path, `HKEY_CURRENT_USER\` + path} {
			if got, err := reg.Read(key, value); err != nil || got != want {
				t.Errorf("%s %q = %q, %v; want %q", key, value, got, err, want)
			}
		}
	}
	if _, err := reg.Read(`HKCU\`+path, "Missing"); !errors.Is(err, errRegistryMissing) {
		t.Errorf("a missing value: %v", err)
	}
	if _, err := reg.Read(`HKCU\Software\ApuriTest\Nowhere`, "x"); !errors.Is(err, errRegistryMissing) {
		t.Errorf("a missing key: %v", err)
	}
	c := testCustom(profileRegistryCheck(`HKCU\`+path, "Enabled", "1"))
	if r := c.Run(t.Context()); r.Status != StatusOK {
		t.Errorf("the check through the real registry: %s %s", r.Status, r.Message.Key)
	}
}
