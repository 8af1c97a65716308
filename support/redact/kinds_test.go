package redact

import (
	"encoding/json"
	"testing"

	"github.com/apuri-project/apuri/assets"
)

// The preview names every kind of redaction in the user's language.
func TestEveryKindIsTranslated(t *testing.T) {
	for _, lang := range []string{"fi", "sv", "en"} {
		data, err := assets.Translations.ReadFile("translations/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range Kinds {
			if m["window.request.redact."+k] == "" {
				t.Errorf("%s: window.request.redact.%s is missing", lang, k)
			}
		}
	}
}

// Every marker a detector writes is one the scan knows, so it is never redacted again.
func TestMarkersAreKnown(t *testing.T) {
	for _, m := range append(markers, "host-12", "ip-3", "ipv6-1", "[email-7]") {
		if !onlyMarkers(m) {
			t.Errorf("%q is not recognised as a marker", m)
		}
	}
	for _, s := range []string{"ip-10-0-0-1.ec2.internal", "host-1a", "[secrets]", "x host-1"} {
		if onlyMarkers(s) {
			t.Errorf("%q taken for a marker", s)
		}
	}
}
