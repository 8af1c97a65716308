package netproxy

import (
	"net/url"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

// manualFunc picks between a Config's fixed proxies and direct, with NO_PROXY's rules (Go's
// own implementation, which also always sends loopback direct).
func manualFunc(c Config) func(*url.URL) (*url.URL, error) {
	pick := (&httpproxy.Config{
		HTTPProxy:  c.HTTP,
		HTTPSProxy: c.HTTPS,
		NoProxy:    strings.Join(c.Bypass, ","),
	}).ProxyFunc()
	return func(u *url.URL) (*url.URL, error) {
		if c.BypassPlain && !strings.Contains(u.Hostname(), ".") {
			return nil, nil
		}
		return pick(u)
	}
}

// splitList splits a host list as the desktops write them: by commas, semicolons or spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n'
	})
}

// bypassPatterns turns the desktops' host patterns into NO_PROXY's: "*.example.fi" and
// ".example.fi" both mean the subdomains, a lone "*" means everything, and Windows' "<local>"
// is a flag of its own (names without a dot).
func bypassPatterns(items []string) (patterns []string, plain bool) {
	for _, it := range items {
		it = strings.TrimSpace(it)
		switch {
		case it == "":
		case strings.EqualFold(it, "<local>"):
			plain = true
		case it == "*":
			patterns = append(patterns, "*")
		case strings.HasPrefix(it, "*."):
			patterns = append(patterns, it[1:])
		case strings.HasPrefix(it, "*"):
			// "*example.fi": a suffix match, closest in NO_PROXY is the domain with its subdomains.
			patterns = append(patterns, strings.TrimLeft(it, "*."))
		default:
			patterns = append(patterns, it)
		}
	}
	return patterns, plain
}
