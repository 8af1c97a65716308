package netproxy

import (
	"fmt"
	"net/url"
	"strings"
)

// parsePACResult reads FindProxyForURL's answer, "PROXY host:port; SOCKS host:port; DIRECT",
// in its order. A nil entry is DIRECT. Entries of a kind no browser knows are skipped; an
// answer with none left is an error (browsers then go direct).
func parsePACResult(s string) ([]*url.URL, error) {
	var out []*url.URL
	for _, part := range strings.Split(s, ";") {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		kind := strings.ToUpper(f[0])
		if kind == "DIRECT" {
			out = append(out, nil)
			continue
		}
		if len(f) != 2 {
			continue
		}
		scheme := map[string]string{
			"PROXY": "http", "HTTP": "http", "HTTPS": "https", "SOCKS": "socks5", "SOCKS5": "socks5",
		}[kind]
		if scheme == "" {
			continue
		}
		u, err := url.Parse(scheme + "://" + f[1])
		if err != nil || u.Hostname() == "" {
			continue
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("proxy auto-configuration answered %q", s)
	}
	return out, nil
}
