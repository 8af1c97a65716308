package app

import "testing"

// TestFollowTextScale: the desktop's larger text becomes Fyne's scale, unless the user set one
// of their own; normal, smaller or absurd factors change nothing.
func TestFollowTextScale(t *testing.T) {
	tests := []struct {
		name    string
		env     string
		desktop float64
		want    string
	}{
		{"larger text", "", 1.5, "1.5"},
		{"double", "", 2, "2"},
		{"the user's own scale wins", "1.2", 2, "1.2"},
		{"normal text", "", 1, ""},
		{"smaller text", "", 0.8, ""},
		{"not believable", "", 40, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{scaleEnv: tt.env}
			followTextScale(func(k string) string { return env[k] },
				func(k, v string) error { env[k] = v; return nil },
				func() float64 { return tt.desktop })
			if env[scaleEnv] != tt.want {
				t.Errorf("FYNE_SCALE = %q, want %q", env[scaleEnv], tt.want)
			}
		})
	}
	for in, want := range map[string]float64{"1.25\n": 1.25, "2.0": 2, "": 1, "uint32 1": 1, "-1": 1} {
		if got := parseScale(in); got != want {
			t.Errorf("parseScale(%q) = %v, want %v", in, got, want)
		}
	}
}
