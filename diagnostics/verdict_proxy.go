package diagnostics

// isProxyReason reports whether a check failed because of its proxy, whichever check it is:
// the internet probe, a service or the clock's reference all go through the same proxy.
func isProxyReason(reason string) bool {
	return reason == ReasonProxyDown || reason == ReasonProxyRefused || reason == ReasonProxyAuth
}

// proxyVerdict says what the proxy did: "verdict.proxy_failure" when it did not answer,
// "_refused" when it would not pass pages on, "_auth" when it wants a password.
func proxyVerdict(c Cause, key string, first Result) string {
	if c != CauseProxyFailure {
		return key
	}
	switch first.Reason {
	case ReasonProxyRefused:
		return key + "_refused"
	case ReasonProxyAuth:
		return key + "_auth"
	}
	return key
}
