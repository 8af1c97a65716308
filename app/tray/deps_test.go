package tray

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTheAgentNeverLoadsFyne keeps the all-day process free of Fyne: its GL driver polls at
// 60 Hz even with no window open (docs/architecture.md). Only the window processes may use it.
func TestTheAgentNeverLoadsFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list found only %d dependencies; is it listing this package?", len(deps))
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "fyne.io/fyne/") {
			t.Errorf("the tray depends on %s", d)
		}
	}
}
