package agent

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

// TestProblemWireFormat: a Problem travels as {"key", "args", "message"}, exactly as before it
// was built on i18n.Message, so older windows and scripts keep reading the local API.
func TestProblemWireFormat(t *testing.T) {
	tests := []struct {
		name    string
		problem *Problem
		want    string
	}{
		{
			name:    "with arguments",
			problem: newProblem(KeyUnknownWindow, "name", "nope"),
			want:    `{"key":"agent.error.unknown_window","args":{"name":"nope"},"message":"Apuri has no window called \"nope\"."}`,
		},
		{
			name:    "without arguments",
			problem: newProblem(KeyClosed),
			want:    `{"key":"agent.error.closed","message":"Apuri is shutting down."}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.problem)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("marshalled\n got %s\nwant %s", got, tt.want)
			}
			var back Problem
			if err := json.Unmarshal([]byte(tt.want), &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&back, tt.problem) {
				t.Errorf("the old JSON reads back as %+v, want %+v", back, *tt.problem)
			}
		})
	}
}

// TestProblemSpeaksEveryLanguage: the English text is for logs; Text renders the same message
// in the reader's language.
func TestProblemSpeaksEveryLanguage(t *testing.T) {
	p := newProblem(KeyUnknownWindow, "name", "nope")
	if p.Error() != p.English {
		t.Errorf("Error() = %q, want the English text %q", p.Error(), p.English)
	}
	fi := p.Text(i18n.New("fi"))
	if fi == p.English || fi == p.Key {
		t.Errorf("the Finnish text %q is not a translation", fi)
	}
	if want := i18n.New("fi").T(KeyUnknownWindow, map[string]any{"name": "nope"}); fi != want {
		t.Errorf("Text(fi) = %q, want %q", fi, want)
	}
}
