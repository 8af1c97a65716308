package profile

import "testing"

func TestKeyLines(t *testing.T) {
	data := []byte("schema = 1\n\n[support]\nphone = \"1\"\n\n[[links]]\nname = \"a\"\nurl = \"https://a.example.org/\"\n\n[vpn]\ninterfaces = [\n  \"tun*\",\n  \"wg*\",\n]\n")
	lines := KeyLines(data)
	tests := []struct {
		name, key string
		line      int
	}{
		{"top level", "schema", 1},
		{"in a table", "support.phone", 4},
		{"in an array of tables", "links[0].url", 8},
		{"a list", "vpn.interfaces", 11},
		{"a list element", "vpn.interfaces[1]", 13},
		{"a header is not a value", "support", 0},
		{"not set", "support.email", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := lines[tc.key]; got != tc.line {
				t.Errorf("line of %s = %d, want %d", tc.key, got, tc.line)
			}
		})
	}
}

func TestEmbeddedSourceKeyLines(t *testing.T) {
	lines, err := Source{Kind: SourceEmbedded}.KeyLines()
	if err != nil || lines["schema"] == 0 || lines["timeouts.check"] == 0 {
		t.Errorf("embedded default: %v, %v; want the lines of schema and timeouts.check", lines, err)
	}
	if _, err := (Source{Kind: SourceUser, Path: t.TempDir() + "/none.toml"}).KeyLines(); err == nil {
		t.Error("a missing file must be an error")
	}
}
