//go:build linux

package lab

// ProxyFault is one way the proxy, or what is behind it, breaks, and what the verdict must say.
// test/lab injects each with the proxy named in the environment, test/winlab with it set in
// Windows' Internet Options: one table, so both builds are held to the same verdicts.
type ProxyFault struct {
	Name string
	// BlockDirect closes the direct way to the web, as a managed network's firewall does.
	BlockDirect bool
	Fault       func(*Lab) error
	Cause       string
	Reason      string // network.internet's
	DirectOK    bool   // network.internet's direct_ok: the page loaded without the proxy
	// Words must all appear in the verdict's sentence (English); WordsIn in its Finnish and
	// Swedish ones.
	Words   []string
	WordsIn map[string][]string
}

// ProxyFaults are the proxy's faults.
var ProxyFaults = []ProxyFault{
	{Name: "proxy down, direct web blocked", BlockDirect: true, Fault: stopProxy,
		Cause: "proxy_failure", Reason: "proxy_down", Words: []string{ProxyName, "proxy server", "doesn't answer"},
		WordsIn: map[string][]string{"fi": {ProxyName, "välityspalvelimen", "ei vastaa"}, "sv": {ProxyName, "proxyservern", "svarar inte"}}},
	{Name: "proxy down, direct web open", Fault: stopProxy,
		Cause: "proxy_failure", Reason: "proxy_down", DirectOK: true, Words: []string{ProxyName, "doesn't answer"},
		WordsIn: map[string][]string{"fi": {ProxyName, "ei vastaa"}, "sv": {ProxyName, "svarar inte"}}},
	{Name: "proxy wants a password (407)", BlockDirect: true, Fault: proxyAnswers(ProxyAuthRequired),
		Cause: "proxy_failure", Reason: "proxy_auth", Words: []string{ProxyName, "sign in"},
		WordsIn: map[string][]string{"fi": {ProxyName, "vaatii kirjautumisen"}, "sv": {ProxyName, "kräver inloggning"}}},
	{Name: "proxy refuses (403)", BlockDirect: true, Fault: proxyAnswers(ProxyForbidden),
		Cause: "proxy_failure", Reason: "proxy_refused", Words: []string{ProxyName, "refuses"},
		WordsIn: map[string][]string{"fi": {ProxyName, "ei välitä niitä eteenpäin"}, "sv": {ProxyName, "vägrar förmedla"}}},
	{Name: "proxy works, the page's server is down", BlockDirect: true,
		Fault: func(l *Lab) error { return l.Probe.Close() },
		Cause: "internet_unreachable", Reason: "unreachable", Words: []string{"internet"},
		WordsIn: map[string][]string{"fi": {"internetiin ei saada yhteyttä"}, "sv": {"internet kan inte nås"}}},
}

func stopProxy(l *Lab) error { return l.Proxy.Stop() }

func proxyAnswers(m ProxyMode) func(*Lab) error {
	return func(l *Lab) error { l.Proxy.Set(m); return nil }
}
