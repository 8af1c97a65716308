package assets

import (
	"bytes"
	"encoding/xml"
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

// TestPhoneIconIsAnSVG: the Call button's icon is a well-formed SVG of one path that Fyne can
// recolour to the theme (a fill, no stroke).
func TestPhoneIconIsAnSVG(t *testing.T) {
	var svg struct {
		XMLName xml.Name
		ViewBox string `xml:"viewBox,attr"`
		Paths   []struct {
			Fill string `xml:"fill,attr"`
			D    string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(PhoneIcon, &svg); err != nil {
		t.Fatalf("phone icon: %v", err)
	}
	if svg.XMLName.Local != "svg" || svg.ViewBox != "0 0 24 24" {
		t.Errorf("phone icon is <%s viewBox=%q>, want a 24×24 <svg>", svg.XMLName.Local, svg.ViewBox)
	}
	if len(svg.Paths) != 1 || svg.Paths[0].Fill == "" || svg.Paths[0].D == "" {
		t.Errorf("phone icon has %d paths %+v, want one filled path", len(svg.Paths), svg.Paths)
	}
}
