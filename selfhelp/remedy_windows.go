package selfhelp

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"

	"golang.org/x/sys/windows/registry"
)

func dialSystemBus(context.Context) (Bus, error) { return nil, ErrUnsupported }

// hideWindow keeps rundll32 from flashing a console window.
func hideWindow(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true} }

func detach(*exec.Cmd) {}

func nativeRegistry() Registry { return winRegistry{} }

// winRegistry reads the registry read-only.
type winRegistry struct{}

var roots = map[string]registry.Key{
	"HKCU": registry.CURRENT_USER,
	"HKLM": registry.LOCAL_MACHINE,
}

func openKey(path string) (registry.Key, error) {
	root, sub, _ := strings.Cut(path, `\`)
	k, ok := roots[root]
	if !ok {
		return 0, fmt.Errorf("unknown registry root %q", root)
	}
	return registry.OpenKey(k, sub, registry.READ)
}

func (winRegistry) SubKeys(path string) ([]string, error) {
	k, err := openKey(path)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	return k.ReadSubKeyNames(-1)
}

func (winRegistry) Value(path, name string) (string, error) {
	k, err := openKey(path)
	if err != nil {
		return "", err
	}
	defer k.Close()
	s, typ, err := k.GetStringValue(name)
	if err != nil {
		return "", err
	}
	if typ == registry.EXPAND_SZ {
		if x, err := registry.ExpandString(s); err == nil {
			s = x
		}
	}
	return s, nil
}
