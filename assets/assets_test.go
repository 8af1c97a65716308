package assets

import (
	"bytes"
	"image/png"
	"testing"
)

func TestEveryTrayStateHasAPNGForBothPanels(t *testing.T) {
	for _, state := range []string{"healthy", "warning", "problem", "checking", "unknown"} {
		for _, dark := range []bool{false, true} {
			data := TrayIcon(state, dark)
			if data == nil {
				t.Errorf("no icon for %s (dark=%v)", state, dark)
				continue
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s (dark=%v) is not a PNG: %v", state, dark, err)
				continue
			}
			if b := img.Bounds(); b.Dx() != b.Dy() || b.Dx() < 22 {
				t.Errorf("%s icon is %v; tray icons must be square and at least 22 px", state, b)
			}
		}
	}
	if TrayIcon("nonsense", false) != nil {
		t.Error("an unknown state must have no icon")
	}
}

func TestAppIconIsAPNG(t *testing.T) {
	if _, err := png.Decode(bytes.NewReader(AppIcon())); err != nil {
		t.Fatalf("application icon: %v", err)
	}
}
