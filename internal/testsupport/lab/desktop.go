//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"
)

// The proxy as each desktop names it, and what goes direct (the intranet, through the tunnel).
var (
	// ProxyURL is the proxy as the environment writes it.
	ProxyURL = "http://" + ProxyName + ":" + strconv.Itoa(ProxyPort)
	// PACURL is the auto-configuration script's address.
	PACURL = "http://" + ProxyName + PACPath
)

// BlockDirectWeb makes the router drop the client's traffic to the probe's and the service's
// servers, as a managed network's firewall does: the web is open only through the proxy, whose
// host is beside those servers.
func (l *Lab) BlockDirectWeb() error {
	return errors.Join(
		ip("-n", l.Router, "route", "add", "blackhole", ProbeAddr+"/32"),
		ip("-n", l.Router, "route", "add", "blackhole", ServiceAddr+"/32"),
	)
}

// ProxyEnv is the environment that names the lab's proxy, the intranet excepted.
func ProxyEnv() []string {
	return []string{"HTTP_PROXY=" + ProxyURL, "HTTPS_PROXY=" + ProxyURL, "NO_PROXY=" + InternalName}
}

// KDEManual and KDEWPAD are kioslaverc's [Proxy Settings]: the lab's proxy set by hand, and
// "detect the proxy configuration automatically" (WPAD).
var (
	KDEManual = []string{
		"NoProxyFor=" + InternalName,
		"ProxyType=1",
		"httpProxy=http://" + ProxyName + " " + strconv.Itoa(ProxyPort),
		"httpsProxy=http://" + ProxyName + " " + strconv.Itoa(ProxyPort),
	}
	KDEWPAD = []string{"ProxyType=3"}
)

// KDEProxyConfig writes KDE's kioslaverc with the given [Proxy Settings] into a new
// configuration directory under dir, and returns the directory (for XDG_CONFIG_HOME).
func KDEProxyConfig(dir string, settings []string) (string, error) {
	config, err := os.MkdirTemp(dir, "kde-config-")
	if err != nil {
		return "", err
	}
	rc := "[Proxy Settings]\n" + strings.Join(settings, "\n") + "\n"
	return config, os.WriteFile(filepath.Join(config, "kioslaverc"), []byte(rc), 0o600)
}

// GNOMEManual and GNOMEAuto are the org.gnome.system.proxy settings (schema, key, GVariant
// value) of a proxy set by hand and of one set by a script.
var (
	GNOMEManual = [][3]string{
		{"org.gnome.system.proxy.http", "host", "'" + ProxyName + "'"},
		{"org.gnome.system.proxy.http", "port", strconv.Itoa(ProxyPort)},
		{"org.gnome.system.proxy", "ignore-hosts", "['localhost', '127.0.0.0/8', '" + InternalName + "']"},
		{"org.gnome.system.proxy", "mode", "'manual'"},
	}
	GNOMEAuto = [][3]string{
		{"org.gnome.system.proxy", "autoconfig-url", "'" + PACURL + "'"},
		{"org.gnome.system.proxy", "mode", "'auto'"},
	}
)

// MissingGNOME names what GNOMEProxyConfig needs and this machine lacks, "" when nothing.
func MissingGNOME() string {
	var missing []string
	for _, tool := range []string{"gsettings", "dbus-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if dconfService() == "" {
		missing = append(missing, "dconf-service")
	}
	if _, err := os.Stat("/usr/share/glib-2.0/schemas/org.gnome.system.proxy.gschema.xml"); err != nil {
		missing = append(missing, "the org.gnome.system.proxy schema")
	}
	if len(missing) == 0 {
		return ""
	}
	return strings.Join(missing, ", ") + " (apt-get install libglib2.0-bin dbus dconf-service dconf-gsettings-backend gsettings-desktop-schemas)"
}

func dconfService() string {
	for _, p := range []string{"/usr/libexec/dconf-service", "/usr/lib/dconf/dconf-service"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// GNOMEProxyConfig writes GNOME's proxy settings the way the desktop does: `gsettings set` in a
// private D-Bus session whose dconf-service writes the user database into a new configuration
// directory under dir. It returns the directory (for XDG_CONFIG_HOME), after reading every
// value back with the service stopped, so the settings are on disk where gsettings finds them.
func GNOMEProxyConfig(dir string, keys [][3]string) (string, error) {
	if m := MissingGNOME(); m != "" {
		return "", fmt.Errorf("GNOME settings need %s", m)
	}
	home, err := os.MkdirTemp(dir, "gnome-")
	if err != nil {
		return "", err
	}
	config, runtime := filepath.Join(home, "config"), filepath.Join(home, "run")
	for _, d := range []string{config, runtime} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return "", err
		}
	}
	bus, err := testbus.Start(home)
	if err != nil {
		return "", err
	}
	defer bus.Close()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + config,
		"XDG_RUNTIME_DIR=" + runtime, "DBUS_SESSION_BUS_ADDRESS=" + bus.Address, "GSETTINGS_BACKEND=dconf"}
	svc := exec.Command(dconfService())
	svc.Env = env
	var svcErr strings.Builder
	svc.Stderr = &svcErr
	if err := svc.Start(); err != nil {
		return "", fmt.Errorf("start dconf-service: %w", err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			_ = svc.Process.Kill()
			_ = svc.Wait()
		}
	}
	defer stop()
	if err := waitName(bus, "ca.desrt.dconf"); err != nil {
		return "", fmt.Errorf("dconf-service never joined the bus: %w (%s)", err, svcErr.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, k := range keys {
		if out, err := gsettings(ctx, env, "set", k[0], k[1], k[2]); err != nil || out != "" {
			return "", fmt.Errorf("gsettings set %s %s %s: %v %s", k[0], k[1], k[2], err, out)
		}
	}
	stop()
	for _, k := range keys {
		got, err := gsettings(ctx, env, "get", k[0], k[1])
		if err != nil {
			return "", err
		}
		if normalise(got) != normalise(k[2]) {
			return "", fmt.Errorf("gsettings get %s %s = %s after set to %s", k[0], k[1], got, k[2])
		}
	}
	return config, nil
}

func gsettings(ctx context.Context, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "gsettings", args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// normalise ignores how GVariant text spaces a value.
func normalise(v string) string { return strings.ReplaceAll(v, " ", "") }

// waitName waits until a name has an owner on the bus.
func waitName(bus *testbus.Bus, name string) error {
	conn, err := bus.Connect()
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return poll.Wait(ctx, func() bool {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
		return err == nil && has
	})
}
