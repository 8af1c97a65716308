package diagnostics

// A service whose page stops loading after a good start is not "not working properly" in the
// way a server error is: the server answered, and the page was lost on its way here. The
// verdict says so, so that nobody reinstalls a browser for a path that drops large packets.

// pageVerdict is the verdict's message key for a service whose page never finished loading,
// or key unchanged when r is about something else.
func pageVerdict(cause Cause, key string, r Result) string {
	if cause == CauseServiceDown && r.Reason == ReasonBodyStalled {
		return key + "." + ReasonBodyStalled
	}
	return key
}
