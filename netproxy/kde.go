package netproxy

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/ini.v1"
)

// kioslavercPath is KDE's proxy settings file: $XDG_CONFIG_HOME/kioslaverc, else
// ~/.config/kioslaverc.
func kioslavercPath(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "kioslaverc")
}

// readKDE reads kioslaverc's [Proxy Settings]; a missing or unreadable file says nothing.
func readKDE(getenv func(string) string) Config {
	path := kioslavercPath(getenv)
	if path == "" {
		return Config{From: SourceNone}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{From: SourceNone}
	}
	return parseKDE(data, getenv)
}

// parseKDE reads [Proxy Settings]. ProxyType: 0 none, 1 manual, 2 script by URL, 3 WPAD,
// 4 the environment (whose variable names httpProxy then holds). KDE writes a proxy as
// "http://host 8080"; a key may carry the "[$e]" marker (expand the environment).
func parseKDE(data []byte, getenv func(string) string) Config {
	f, err := ini.LoadSources(ini.LoadOptions{IgnoreInlineComment: true}, data)
	if err != nil {
		return Config{From: SourceNone}
	}
	sec, err := f.GetSection("Proxy Settings")
	if err != nil {
		return Config{From: SourceNone}
	}
	get := func(key string) (string, bool) {
		for _, k := range []string{key, key + "[$e]", key + "[$i]"} {
			if sec.HasKey(k) {
				return strings.TrimSpace(sec.Key(k).String()), strings.HasSuffix(k, "[$e]")
			}
		}
		return "", false
	}
	value := func(key string) string {
		v, expand := get(key)
		if expand {
			v = os.Expand(v, getenv)
		}
		return v
	}
	typ, _ := strconv.Atoi(value("ProxyType"))
	switch typ {
	case 1:
		c := Config{From: SourceKDE, HTTP: kdeProxy(value("httpProxy")), HTTPS: kdeProxy(value("httpsProxy"))}
		if !strings.EqualFold(value("ReversedException"), "true") {
			c.Bypass, c.BypassPlain = bypassPatterns(splitList(value("NoProxyFor")))
		}
		if !c.configured() {
			return Config{From: SourceNone}
		}
		return c
	case 2:
		if u := value("Proxy Config Script"); u != "" {
			return Config{From: SourceKDE, PACURL: u}
		}
	case 3:
		return Config{From: SourceKDE, AutoDetect: true}
	case 4:
		// The values name environment variables; read them as the environment would be.
		c := Config{From: SourceKDE, HTTP: getenv(value("httpProxy")), HTTPS: getenv(value("httpsProxy"))}
		c.Bypass, c.BypassPlain = bypassPatterns(splitList(getenv(value("NoProxyFor"))))
		if c.configured() {
			return c
		}
	}
	return Config{From: SourceNone}
}

// kdeProxy turns "http://host 8080" into "http://host:8080"; "host:port" stays as it is.
func kdeProxy(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.LastIndexByte(v, ' '); i > 0 {
		if port, err := strconv.Atoi(strings.TrimSpace(v[i+1:])); err == nil {
			return hostPort(strings.TrimSpace(v[:i]), port)
		}
	}
	return v
}
