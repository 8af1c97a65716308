package netproxy

import (
	"bufio"
	"strconv"
	"strings"
)

// parseGNOME reads the lines "SCHEMA KEY VALUE" of `gsettings list-recursively`.
func parseGNOME(out string) Config {
	v := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		schema, rest, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok {
			continue
		}
		key, value, ok := strings.Cut(rest, " ")
		if !ok {
			continue
		}
		v[strings.TrimPrefix(schema, "org.gnome.system.proxy")+"/"+key] = value
	}
	str := func(k string) string { s, _ := gvariantString(v[k]); return s }
	port := func(k string) int {
		f := strings.Fields(v[k]) // "8080", or with a type word: "uint32 8080"
		if len(f) == 0 {
			return 0
		}
		n, _ := strconv.Atoi(f[len(f)-1])
		return n
	}
	switch str("/mode") {
	case "manual":
		c := Config{
			From:  SourceGNOME,
			HTTP:  hostPort(str(".http/host"), port(".http/port")),
			HTTPS: hostPort(str(".https/host"), port(".https/port")),
		}
		if c.HTTPS == "" {
			// GLib's resolver sends https through the http proxy when no https one is set.
			c.HTTPS = c.HTTP
		}
		if socks := hostPort(str(".socks/host"), port(".socks/port")); c.HTTP == "" && socks != "" {
			c.HTTP, c.HTTPS = "socks5://"+socks, "socks5://"+socks
		}
		c.Bypass, c.BypassPlain = bypassPatterns(gvariantStrings(v["/ignore-hosts"]))
		if !c.configured() {
			return Config{From: SourceNone}
		}
		return c
	case "auto":
		c := Config{From: SourceGNOME, PACURL: str("/autoconfig-url")}
		c.AutoDetect = c.PACURL == ""
		return c
	}
	return Config{From: SourceNone}
}

// gvariantString reads one GVariant text string: 'text' or "text", with backslash escapes.
func gvariantString(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (s[0] != '\'' && s[0] != '"') || s[len(s)-1] != s[0] {
		return "", false
	}
	val, rest, ok := readQuoted(s)
	return val, ok && rest == ""
}

// gvariantStrings reads a GVariant text array of strings: ['a', 'b'], or @as [] when empty.
func gvariantStrings(s string) []string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "@as"))
	if !strings.HasPrefix(s, "[") {
		return nil
	}
	s = s[1:]
	var out []string
	for {
		s = strings.TrimLeft(s, " ,")
		if s == "" || s[0] == ']' {
			return out
		}
		val, rest, ok := readQuoted(s)
		if !ok {
			return out
		}
		out = append(out, val)
		s = rest
	}
}

// readQuoted reads the quoted string at the start of s and returns it and what follows.
func readQuoted(s string) (val, rest string, ok bool) {
	if s == "" || (s[0] != '\'' && s[0] != '"') {
		return "", s, false
	}
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == q:
			return b.String(), s[i+1:], true
		default:
			b.WriteByte(c)
		}
	}
	return "", s, false
}
