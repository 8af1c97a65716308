package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// tile is a w×w transparent picture with an opaque square from lo to hi, like the app icon.
func tile(w, lo, hi int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, w))
	for y := lo; y < hi; y++ {
		for x := lo; x < hi; x++ {
			img.Set(x, y, color.NRGBA{0x15, 0x65, 0xc0, 0xff})
		}
	}
	return img
}

// solid is the bounds of the pixels that are at least half opaque.
func solid(img image.Image) image.Rectangle {
	var r image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a >= 0x8000 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

func near(a, b, slack int) bool { return a-b <= slack && b-a <= slack }

func TestScale(t *testing.T) {
	src := tile(64, 8, 56) // the tile fills 48/64 = 0.75 of the picture
	tests := []struct {
		name   string
		n      int
		fill   float64
		lo, hi int
	}{
		{"as drawn", 32, 0, 4, 28},
		{"as drawn, large", 256, 0, 32, 224},
		{"tile fills half", 100, 0.5, 25, 75},
		{"macOS grid", 512, 824.0 / 1024, 50, 462},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := scale(src, tt.n, tt.fill)
			if b := img.Bounds(); b.Dx() != tt.n || b.Dy() != tt.n {
				t.Fatalf("size %v, want %dx%d", b.Size(), tt.n, tt.n)
			}
			got := solid(img)
			if !near(got.Min.X, tt.lo, 1) || !near(got.Min.Y, tt.lo, 1) || !near(got.Max.X, tt.hi, 1) || !near(got.Max.Y, tt.hi, 1) {
				t.Errorf("opaque part %v, want about (%d,%d)-(%d,%d)", got, tt.lo, tt.lo, tt.hi, tt.hi)
			}
		})
	}
}

func TestParseSizes(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"list", "16, 32,512", true},
		{"zero", "0", false},
		{"not a number", "16,big", false},
		{"too large", "2048", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseSizes(tt.in); (err == nil) != tt.ok {
				t.Errorf("parseSizes(%q) error %v, want ok=%v", tt.in, err, tt.ok)
			}
		})
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, img image.Image) string {
		p := filepath.Join(dir, name)
		if err := writePNG(p, img); err != nil {
			t.Fatal(err)
		}
		return p
	}
	square := write("square.png", tile(64, 8, 56))
	wide := write("wide.png", image.NewNRGBA(image.Rect(0, 0, 64, 32)))
	out := filepath.Join(dir, "out")
	if err := run(square, out, "16,48", 0); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"16x16.png", "48x48.png"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != cfg.Height || filepath.Base(name) != fmtSize(cfg.Width) {
			t.Errorf("%s: %+v, %v", name, cfg, err)
		}
	}
	if err := run(wide, out, "16", 0); err == nil {
		t.Error("a picture that is not square was accepted")
	}
	if err := run(square, out, "16", 1.5); err == nil {
		t.Error("-fill 1.5 was accepted")
	}
	if err := run(square, "", "16", 0); err == nil {
		t.Error("no -out was accepted")
	}
}
