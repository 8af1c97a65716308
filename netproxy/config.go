// Package netproxy finds the proxy the user's browser would use for a given address: the
// environment first, then the desktop's own settings (GNOME, KDE, Windows, macOS), manual or
// by an auto-configuration script (PAC), found by URL or by WPAD. On managed desktops the web is
// often reachable only that way, so every check that goes to the web asks here.
package netproxy

import (
	"net/url"
	"strconv"
	"strings"
)

// Source is where a proxy choice came from (docs/report.md, detail "proxy_source").
type Source string

// The sources, in the order their evidence is read.
const (
	SourceEnv     Source = "env"     // HTTP(S)_PROXY and NO_PROXY
	SourceGNOME   Source = "gnome"   // org.gnome.system.proxy, manual
	SourceKDE     Source = "kde"     // kioslaverc, manual
	SourceWindows Source = "windows" // Internet Options, manual
	SourceMacOS   Source = "macos"   // System Settings, manual
	SourcePAC     Source = "pac"     // an auto-configuration script at a configured address
	SourceWPAD    Source = "wpad"    // an auto-configuration script found on the network
	SourceNone    Source = "none"    // no proxy configured anywhere
)

// Sources lists every source, for the report's schema.
var Sources = []Source{SourceEnv, SourceGNOME, SourceKDE, SourceWindows, SourceMacOS, SourcePAC, SourceWPAD, SourceNone}

// Config is one place's proxy settings as read, before any address is asked about.
type Config struct {
	// From is the place that holds the settings, SourceNone when none does.
	From Source
	// HTTP and HTTPS are the manual proxies ("host:port" or a URL); empty means direct.
	HTTP, HTTPS string
	// Bypass lists hosts, domains and networks that go direct, in NO_PROXY's syntax.
	Bypass []string
	// BypassPlain sends names without a dot direct (Windows' "<local>").
	BypassPlain bool
	// PACURL is the auto-configuration script's address (http, https or file).
	PACURL string
	// AutoDetect asks for the script to be found on the network (WPAD).
	AutoDetect bool
}

// automatic reports whether a script decides, rather than fixed proxies.
func (c Config) automatic() bool { return c.PACURL != "" || c.AutoDetect }

// configured reports whether the place says anything at all.
func (c Config) configured() bool {
	return c.HTTP != "" || c.HTTPS != "" || c.automatic()
}

// hostPort joins a host and a port the way the settings mean them: no port, or port 0, is the
// host alone (a URL there stays as it is).
func hostPort(host string, port int) string {
	host = strings.TrimSpace(host)
	if host == "" {
		return ""
	}
	if port <= 0 {
		return host
	}
	if u, err := url.Parse(host); err == nil && u.Scheme != "" && u.Host != "" {
		if u.Port() == "" {
			u.Host = joinPort(u.Hostname(), port)
		}
		return u.String()
	}
	return joinPort(host, port)
}

func joinPort(host string, port int) string {
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(port)
}
