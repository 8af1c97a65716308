package profile

import (
	"encoding/json"
	"testing"
)

// TestTitleJSONRoundTrip: a link's title, short or per language, comes back from JSON as it was.
func TestTitleJSONRoundTrip(t *testing.T) {
	for _, want := range []Title{{Text: "TOP"}, {FI: "Matkahallinta", SV: "Resehantering", EN: "Travel"}, {}} {
		data, err := json.Marshal(Link{Name: "top", Title: want})
		if err != nil {
			t.Fatal(err)
		}
		var got Link
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("%s does not read back: %v", data, err)
		}
		if got.Title != want {
			t.Errorf("%s read back as %+v, want %+v", data, got.Title, want)
		}
	}
}
