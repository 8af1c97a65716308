package profile

import (
	"encoding/json"
	"fmt"
)

// A title travels in JSON (the local API's /v1/profile) as the file wrote it: a string, or an
// object of languages. Without these, encoding/json wrote the struct's fields and then, because
// Title reads text, refused to read that object back, and every window that asked the agent for
// the profile of an organisation whose links have titles got an error instead.

// MarshalJSON writes the title as Value does.
func (t Title) MarshalJSON() ([]byte, error) { return json.Marshal(t.Value()) }

// UnmarshalJSON reads a string or an object of languages (fi, sv, en).
func (t *Title) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Title{Text: s}
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("a title is text or an object of languages: %w", err)
	}
	*t = Title{FI: m["fi"], SV: m["sv"], EN: m["en"]}
	return nil
}
