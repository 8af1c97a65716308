package diagnostics

import "github.com/apuri-project/apuri/internal/safetext"

// safeResult cleans what a check took from outside — an error a server worded, a
// certificate's names, a page it answered with — before it reaches a summary, a detail or a
// log line: escape sequences and bidi controls must never get from there to a terminal, a
// window or a ticket. Message arguments become one line each; details and log lines may keep
// their line breaks.
func safeResult(r Result) Result {
	for k, v := range r.Message.Args {
		if s, ok := v.(string); ok {
			r.Message.Args[k] = safetext.Line(s, 0)
		}
	}
	for k, v := range r.Details {
		r.Details[k] = safeValue(v)
	}
	for i, line := range r.Log {
		r.Log[i] = safetext.Text(line)
	}
	return r
}

// safeValue cleans the strings of a detail, however deeply they are nested in lists and maps.
func safeValue(v any) any {
	switch v := v.(type) {
	case string:
		return safetext.Text(v)
	case []string:
		for i := range v {
			v[i] = safetext.Text(v[i])
		}
	case []any:
		for i := range v {
			v[i] = safeValue(v[i])
		}
	case map[string]any:
		for k, x := range v {
			v[k] = safeValue(x)
		}
	}
	return v
}
