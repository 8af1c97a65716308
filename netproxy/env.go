package netproxy

import "os"

// fromEnv reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY in either case, as curl and Go do: the
// environment is the most deliberate setting, so it comes first.
func fromEnv(getenv func(string) string) Config {
	get := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return getenv(lower(name))
	}
	c := Config{HTTP: get("HTTP_PROXY"), HTTPS: get("HTTPS_PROXY")}
	if !c.configured() {
		return Config{From: SourceNone}
	}
	c.From = SourceEnv
	if np := get("NO_PROXY"); np != "" {
		c.Bypass = splitList(np)
	}
	return c
}

func osGetenv(name string) string { return os.Getenv(name) }

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
