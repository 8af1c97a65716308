// Package testbus starts a private D-Bus session bus for tests: a dbus-daemon of their own that
// activates nothing, so only what a test puts on it is there, whatever the machine has installed.
// The tray, notification, keyring and logind tests all use it.
package testbus

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// Bus is a private D-Bus session bus.
type Bus struct {
	// Address is the bus address, for DBUS_SESSION_BUS_ADDRESS.
	Address string
	cmd     *exec.Cmd
}

// busConfig is a session bus that starts no services of its own: only what a test puts on it
// is there, whatever is installed on the machine.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// Start starts a session dbus-daemon listening on a socket in dir and returns once it
// accepts connections.
func Start(dir string) (*Bus, error) {
	path, err := exec.LookPath("dbus-daemon")
	if err != nil {
		return nil, fmt.Errorf("dbus-daemon not found (apt-get install dbus): %w", err)
	}
	config := filepath.Join(dir, "bus.conf")
	socket := escapeAddress(filepath.Join(dir, "bus"))
	if err := os.WriteFile(config, fmt.Appendf(nil, busConfig, socket), 0o600); err != nil {
		return nil, err
	}
	var stderr strings.Builder
	cmd := exec.Command(path, "--config-file="+config, "--nofork", "--nopidfile", "--print-address=1")
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start dbus-daemon: %w", err)
	}
	// The daemon prints its address once it listens.
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case addr := <-line:
		if addr == "" {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("dbus-daemon printed no address: %s", stderr.String())
		}
		return &Bus{Address: addr, cmd: cmd}, nil
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, errors.New("dbus-daemon did not start within 10 s")
	}
}

// escapeAddress escapes a value of a D-Bus address: every byte but [-0-9A-Za-z_/.\*] as %XX.
// What remains needs no escaping in the XML of the configuration either.
func escapeAddress(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("-_/.\\*", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// Connect opens a new connection to the bus.
func (b *Bus) Connect() (*dbus.Conn, error) { return dbus.Connect(b.Address) }

// Close stops the daemon.
func (b *Bus) Close() error {
	if b.cmd.Process == nil {
		return nil
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
	return nil
}
