package diagnostics

// Broken IPv6 is no ordinary slowness: a better Wi-Fi signal or a cable does not help, and only
// whoever runs the network can fix it (or turn IPv6 off). The verdict says so.

// ipv6BrokenVerdict is the verdict's message key when broken IPv6 is the warning that counts.
const ipv6BrokenVerdict = "verdict.degraded." + ReasonIPv6Broken

// ipv6BrokenAdvice is what to try: another connection to the same network may get a working
// configuration, and the network's keeper must hear of it.
var ipv6BrokenAdvice = []string{"advice.reconnect_network", "advice.report_ipv6", "advice.ask_colleagues"}

// ipv6Verdict is the verdict's message key for broken IPv6 shown by r, or key unchanged when r
// is about something else.
func ipv6Verdict(cause Cause, key string, r Result) string {
	if cause == CauseDegraded && r.ID == IDIPv6 && r.Reason == ReasonIPv6Broken {
		return ipv6BrokenVerdict
	}
	return key
}
