package netproxy

import (
	"bufio"
	"bytes"
	"os"
	"strings"
)

// wpadCandidates are the addresses where WPAD by DNS looks for a script: wpad.<domain>/wpad.dat
// for each of resolv.conf's search domains (or its domain). The names are not shortened
// further: wpad.<what the organisation owns> only, never a parent someone else may own.
func wpadCandidates(resolvConf []byte) []string {
	var domains []string
	sc := bufio.NewScanner(bytes.NewReader(resolvConf))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || (f[0] != "search" && f[0] != "domain") {
			continue
		}
		domains = append(domains, f[1:]...)
	}
	var out []string
	seen := map[string]bool{}
	for _, d := range domains {
		d = strings.ToLower(strings.Trim(d, "."))
		// A single label (a bare "lan" or "local") is not an organisation's domain.
		if !strings.Contains(d, ".") || seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, "http://wpad."+d+"/wpad.dat")
	}
	return out
}

func readResolvConf() []byte {
	data, _ := os.ReadFile("/etc/resolv.conf")
	return data
}
