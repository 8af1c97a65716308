package policy

import (
	"flag"
	"strings"
	"testing"
)

// want is what the registry holds, "PATH|on", "PATH|off" or "PATH|unset": the Wine test in
// test/packaging/windows writes the policy with `reg add` and passes what Read must find.
var want = flag.String("want", "", "the policy Read must find: PATH|on, PATH|off or PATH|unset")

func TestReadRegistry(t *testing.T) {
	if *want == "" {
		t.Skip("no -want: run by test/packaging/windows, which writes the policy first")
	}
	path, auto, _ := strings.Cut(*want, "|")
	p, err := Read()
	if err != nil {
		t.Errorf("Read: %v", err)
	}
	got := "unset"
	if p.Autostart != nil {
		got = map[bool]string{true: "on", false: "off"}[*p.Autostart]
	}
	if p.ProfilePath != path || got != auto {
		t.Errorf("Read = %q, autostart %s; want %q, %s", p.ProfilePath, got, path, auto)
	}
}
