package netproxy

import "strings"

// winIEConfig is Internet Options' per-user settings, as WinHTTP hands them over.
type winIEConfig struct {
	AutoDetect bool
	AutoConfig string // the script's address
	Proxy      string // "host:port", or "http=host:port;https=host:port"
	Bypass     string // "<local>;*.example.fi"
}

// configOf turns Internet Options' settings into a Config. A script address wins over
// detection, as it does in the browser; fixed proxies count only without either.
func (w winIEConfig) configOf() Config {
	switch {
	case w.AutoConfig != "":
		return Config{From: SourceWindows, PACURL: w.AutoConfig}
	case w.AutoDetect:
		return Config{From: SourceWindows, AutoDetect: true}
	}
	c := Config{From: SourceWindows}
	c.HTTP, c.HTTPS = parseWinProxyList(w.Proxy)
	c.Bypass, c.BypassPlain = bypassPatterns(splitList(w.Bypass))
	if !c.configured() {
		return Config{From: SourceNone}
	}
	return c
}

// parseWinProxyList reads WinINET's proxy string: one "host:port" for every scheme, or
// per-scheme entries "http=host:port;https=host:port;socks=host:port".
func parseWinProxyList(s string) (http, https string) {
	var socks string
	for _, item := range splitList(s) {
		scheme, addr, ok := strings.Cut(item, "=")
		if !ok {
			if http == "" {
				http, https = item, item
			}
			continue
		}
		switch strings.ToLower(scheme) {
		case "http":
			http = addr
		case "https":
			https = addr
		case "socks":
			socks = addr
		}
	}
	if http == "" && https == "" && socks != "" {
		http, https = "socks5://"+socks, "socks5://"+socks
	}
	return http, https
}

// winProxyAnswer turns WinHttpGetProxyForUrl's answer into a PAC-style one: its proxy list is
// "host:port;host:port" (or per scheme), empty for direct.
func winProxyAnswer(direct bool, list string) string {
	if direct || strings.TrimSpace(list) == "" {
		return "DIRECT"
	}
	var parts []string
	for _, item := range splitList(list) {
		if scheme, addr, ok := strings.Cut(item, "="); ok {
			if !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
				continue
			}
			item = addr
		}
		parts = append(parts, "PROXY "+item)
	}
	return strings.Join(parts, "; ")
}
