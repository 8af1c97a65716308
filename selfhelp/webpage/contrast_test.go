package webpage

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// palette reads the style sheet's colour variables: the light ones from the first :root block,
// the dark ones from the block inside prefers-color-scheme: dark.
func palettes(t *testing.T) (light, dark map[string]string) {
	t.Helper()
	css := pageHTML[strings.Index(pageHTML, "<style>"):strings.Index(pageHTML, "</style>")]
	at := strings.Index(css, "@media (prefers-color-scheme: dark)")
	if at < 0 {
		t.Fatal("the page has no dark colours")
	}
	return variables(css[:at]), variables(css[at:])
}

var colourVar = regexp.MustCompile(`--([a-z-]+):\s*#([0-9a-fA-F]{6})`)

func variables(css string) map[string]string {
	vars := map[string]string{}
	for _, m := range colourVar.FindAllStringSubmatch(css, -1) {
		if _, ok := vars[m[1]]; !ok {
			vars[m[1]] = m[2]
		}
	}
	return vars
}

// luminance is WCAG 2's relative luminance of an sRGB colour.
func luminance(hex string) float64 {
	var l [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// Every text colour on every background it is drawn on reads at WCAG 2 level AA (4.5:1), in
// light and in dark; borders and the table's lines at 3:1, as non-text contrast asks.
func TestColoursContrast(t *testing.T) {
	light, dark := palettes(t)
	pairs := []struct {
		fg, bg string
		min    float64
	}{
		{"fg", "bg", 4.5}, {"muted", "bg", 4.5}, {"link", "bg", 4.5},
		{"ok", "bg", 4.5}, {"warn", "bg", 4.5}, {"fail", "bg", 4.5},
		{"fg", "ok-bg", 4.5}, {"fg", "warn-bg", 4.5}, {"fg", "fail-bg", 4.5},
		{"link", "ok-bg", 4.5}, {"link", "warn-bg", 4.5}, {"link", "fail-bg", 4.5},
		{"fg", "head-bg", 4.5},
		{"line", "bg", 3}, {"ok", "ok-bg", 3}, {"warn", "warn-bg", 3}, {"fail", "fail-bg", 3},
	}
	for name, vars := range map[string]map[string]string{"light": light, "dark": dark} {
		for _, p := range pairs {
			fg, bg := vars[p.fg], vars[p.bg]
			if fg == "" || bg == "" {
				t.Errorf("%s: --%s or --%s is not set", name, p.fg, p.bg)
				continue
			}
			if c := contrast(fg, bg); c < p.min {
				t.Errorf("%s: --%s #%s on --%s #%s has contrast %.2f, want at least %.1f", name, p.fg, fg, p.bg, bg, c, p.min)
			}
		}
	}
}
