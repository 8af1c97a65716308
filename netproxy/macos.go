package netproxy

import (
	"bufio"
	"strconv"
	"strings"
)

// parseScutil reads `scutil --proxy`: the current network service's proxy settings as
// System Settings keeps them, printed as "Key : value" lines with nested arrays. The keys are
// SystemConfiguration's, never translated.
func parseScutil(out string) Config {
	v := map[string]string{}
	var exceptions []string
	inExceptions := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if inExceptions {
			if line == "}" {
				inExceptions = false
				continue
			}
			if _, item, ok := strings.Cut(line, " : "); ok {
				exceptions = append(exceptions, strings.TrimSpace(item))
			}
			continue
		}
		key, value, ok := strings.Cut(line, " : ")
		if !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if key == "ExceptionsList" && strings.HasPrefix(value, "<array>") {
			inExceptions = true
			continue
		}
		v[key] = value
	}
	on := func(k string) bool { return v[k] == "1" }
	port := func(k string) int { n, _ := strconv.Atoi(v[k]); return n }
	switch {
	case on("ProxyAutoConfigEnable") && v["ProxyAutoConfigURLString"] != "":
		return Config{From: SourceMacOS, PACURL: v["ProxyAutoConfigURLString"]}
	case on("ProxyAutoDiscoveryEnable"):
		return Config{From: SourceMacOS, AutoDetect: true}
	}
	c := Config{From: SourceMacOS}
	if on("HTTPEnable") {
		c.HTTP = hostPort(v["HTTPProxy"], port("HTTPPort"))
	}
	if on("HTTPSEnable") {
		c.HTTPS = hostPort(v["HTTPSProxy"], port("HTTPSPort"))
	}
	if c.HTTP == "" && c.HTTPS == "" && on("SOCKSEnable") {
		s := hostPort(v["SOCKSProxy"], port("SOCKSPort"))
		c.HTTP, c.HTTPS = "socks5://"+s, "socks5://"+s
	}
	c.Bypass, c.BypassPlain = bypassPatterns(exceptions)
	c.BypassPlain = c.BypassPlain || on("ExcludeSimpleHostnames")
	if !c.configured() {
		return Config{From: SourceNone}
	}
	return c
}
