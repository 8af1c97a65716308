package diagnostics

import "github.com/apuri-project/apuri/internal/safetext"

// safeResult cleans what a check took from outside — an error a server worded, a
// certificate's names, a page it answered with — before it reaches a summary, a detail or a
// log line: escape sequences and bidi controls must never get from there to a terminal, a
// window or a ticket. Message arguments become one line each; details and log lines may keep
// their line breaks. Maps and lists are copied, never changed: a check may have handed over
// its own (or the profile's).
func safeResult(r Result) Result {
	if r.Message.Args != nil {
		args := make(map[string]any, len(r.Message.Args))
		for k, v := range r.Message.Args {
			if s, ok := v.(string); ok {
				v = safetext.Line(s, 0)
			}
			args[k] = v
		}
		r.Message.Args = args
	}
	details := make(map[string]any, len(r.Details))
	for k, v := range r.Details {
		details[k] = safeValue(v)
	}
	r.Details = details
	log := make([]string, len(r.Log))
	for i, line := range r.Log {
		log[i] = safetext.Text(line)
	}
	if r.Log != nil {
		r.Log = log
	}
	return r
}

// safeValue is a detail with its strings cleaned, however deeply they are nested in lists
// and maps.
func safeValue(v any) any {
	switch v := v.(type) {
	case string:
		return safetext.Text(v)
	case []string:
		out := make([]string, len(v))
		for i := range v {
			out[i] = safetext.Text(v[i])
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = safeValue(v[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = safeValue(x)
		}
		return out
	}
	return v
}
