package profile_test

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/apuri-project/apuri/profile"
)

func TestTitlesInEachLanguage(t *testing.T) {
	tests := []struct {
		name string
		svc  profile.Service
		want map[string]string
	}{
		{"no title: the name, written as a name", profile.Service{Name: "intranet"},
			map[string]string{"fi": "Intranet", "sv": "Intranet", "en": "Intranet"}},
		{"no title, a short name: an abbreviation", profile.Service{Name: "top"},
			map[string]string{"fi": "TOP", "sv": "TOP", "en": "TOP"}},
		{"one title for every language", profile.Service{Name: "top", Title: profile.Title{Text: "TOP-palveluportaali"}},
			map[string]string{"fi": "TOP-palveluportaali", "sv": "TOP-palveluportaali", "en": "TOP-palveluportaali"}},
		{"a title per language", profile.Service{Name: "pay", Title: profile.Title{FI: "Palkka", SV: "Lön", EN: "Payroll"}},
			map[string]string{"fi": "Palkka", "sv": "Lön", "en": "Payroll"}},
		{"a missing language reads English first", profile.Service{Name: "pay", Title: profile.Title{FI: "Palkka", EN: "Payroll"}},
			map[string]string{"fi": "Palkka", "sv": "Payroll", "en": "Payroll"}},
		{"then Finnish", profile.Service{Name: "pay", Title: profile.Title{FI: "Palkka"}},
			map[string]string{"fi": "Palkka", "sv": "Palkka", "en": "Palkka"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.svc.Titles(); !maps.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	l := profile.Link{Name: "Service portal", Title: profile.Title{SV: "Serviceportalen"}}
	if got := l.Titles(); got["sv"] != "Serviceportalen" || got["fi"] != "Serviceportalen" {
		t.Errorf("link titles %v", got)
	}
	if got := (profile.Link{Name: "Intranet"}).Titles(); got["fi"] != "Intranet" {
		t.Errorf("a link without a title is called by its name, got %v", got)
	}
}

func TestDisplayName(t *testing.T) {
	for name, want := range map[string]string{
		"intranet":  "Intranet",
		"m365-mail": "M365 mail",
		"hr_portal": "Hr portal",
		"top":       "TOP",
		"rt":        "RT",
		"x1":        "X1",
		"ääni":      "Ääni",
		"":          "",
	} {
		if got := profile.DisplayName(name); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestTitleCrossesJSON: the profile reaches the windows over the local API as JSON; a title,
// in either form, must arrive as it left, or the windows fall back to IDs and drop the profile.
func TestTitleCrossesJSON(t *testing.T) {
	type holder struct{ T profile.Title }
	for _, in := range []profile.Title{{Text: "TOP"}, {FI: "Palkka", SV: "Lön", EN: "Pay"}, {SV: "Lön"}, {}} {
		data, err := json.Marshal(holder{in})
		if err != nil {
			t.Fatal(err)
		}
		var out holder
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if out.T != in {
			t.Errorf("%s came back as %+v, want %+v", data, out.T, in)
		}
	}
	if err := json.Unmarshal([]byte(`{"T": 3}`), &holder{}); err == nil {
		t.Error("a number passed for a title")
	}
}
