// Command genicons draws Apuri's tray and application icons as PNG files in assets/icons.
// The icons are generated rather than drawn by hand so that every state shares one geometry and
// the light- and dark-panel variants stay in step; run `go generate ./assets` after a change.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/vector"
)

// size is the master size: tray hosts scale it down to 16–24 px, so symbols are bold.
const size = 64

type point struct{ x, y float32 }

// canvas accumulates filled shapes in one colour at a time.
type canvas struct {
	img *image.RGBA
}

func newCanvas(n int) *canvas { return &canvas{img: image.NewRGBA(image.Rect(0, 0, n, n))} }

// fill draws the path built by shape in colour c, antialiased.
func (cv *canvas) fill(c color.Color, shape func(r *vector.Rasterizer)) {
	b := cv.img.Bounds()
	r := vector.NewRasterizer(b.Dx(), b.Dy())
	shape(r)
	r.Draw(cv.img, b, image.NewUniform(c), image.Point{})
}

// circle adds a circle as a polygon fine enough to look round at any tray size.
func circle(r *vector.Rasterizer, cx, cy, radius float32) {
	const steps = 96
	for i := 0; i <= steps; i++ {
		a := 2 * math.Pi * float64(i) / steps
		x, y := cx+radius*float32(math.Cos(a)), cy+radius*float32(math.Sin(a))
		if i == 0 {
			r.MoveTo(x, y)
		} else {
			r.LineTo(x, y)
		}
	}
	r.ClosePath()
}

// segment adds a thick line from a to b with round caps.
func segment(r *vector.Rasterizer, a, b point, width float32) {
	dx, dy := b.x-a.x, b.y-a.y
	l := float32(math.Hypot(float64(dx), float64(dy)))
	// The normal points so that the quad winds the same way as circle: the rasterizer adds
	// windings up, and opposite ones would cut holes where the caps overlap the stroke.
	nx, ny := dy/l*width/2, -dx/l*width/2
	r.MoveTo(a.x+nx, a.y+ny)
	r.LineTo(b.x+nx, b.y+ny)
	r.LineTo(b.x-nx, b.y-ny)
	r.LineTo(a.x-nx, a.y-ny)
	r.ClosePath()
	circle(r, a.x, a.y, width/2)
	circle(r, b.x, b.y, width/2)
}

// glyphs are the state symbols, drawn on a 64-unit grid.
var glyphs = map[string]func(r *vector.Rasterizer){
	"healthy": func(r *vector.Rasterizer) {
		segment(r, point{19, 33}, point{28, 42}, 7)
		segment(r, point{28, 42}, point{45, 23}, 7)
	},
	"warning": func(r *vector.Rasterizer) {
		segment(r, point{32, 17}, point{32, 36}, 7.5)
		circle(r, 32, 46, 4.5)
	},
	"problem": func(r *vector.Rasterizer) {
		segment(r, point{22, 22}, point{42, 42}, 7)
		segment(r, point{42, 22}, point{22, 42}, 7)
	},
	"checking": func(r *vector.Rasterizer) {
		circle(r, 19, 32, 4.5)
		circle(r, 32, 32, 4.5)
		circle(r, 45, 32, 4.5)
	},
	"unknown": func(r *vector.Rasterizer) {
		segment(r, point{21, 32}, point{43, 32}, 7)
	},
}

// palette gives each state a disc colour and a symbol colour with enough contrast at 16 px.
var palette = map[string][2]color.RGBA{
	"healthy":  {{0x2e, 0x7d, 0x32, 0xff}, {0xff, 0xff, 0xff, 0xff}},
	"warning":  {{0xf9, 0xa8, 0x25, 0xff}, {0x21, 0x21, 0x21, 0xff}},
	"problem":  {{0xc6, 0x28, 0x28, 0xff}, {0xff, 0xff, 0xff, 0xff}},
	"checking": {{0x15, 0x65, 0xc0, 0xff}, {0xff, 0xff, 0xff, 0xff}},
	"unknown":  {{0x75, 0x75, 0x75, 0xff}, {0xff, 0xff, 0xff, 0xff}},
}

// outline separates the disc from the panel: dark on light panels, light on dark ones.
var outline = map[string]color.RGBA{
	"light": {0x00, 0x00, 0x00, 0x80},
	"dark":  {0xff, 0xff, 0xff, 0xb0},
}

func trayIcon(state, panel string) *image.RGBA {
	cv := newCanvas(size)
	cv.fill(outline[panel], func(r *vector.Rasterizer) { circle(r, 32, 32, 31) })
	cv.fill(palette[state][0], func(r *vector.Rasterizer) { circle(r, 32, 32, 29) })
	cv.fill(palette[state][1], glyphs[state])
	return cv.img
}

// appIcon is the application icon: a rounded blue tile with a life-buoy ring and a check mark.
func appIcon() *image.RGBA {
	const n = 512
	cv := newCanvas(n)
	s := float32(n) / 64
	cv.fill(color.RGBA{0x15, 0x65, 0xc0, 0xff}, func(r *vector.Rasterizer) { roundedSquare(r, 2*s, 60*s, 12*s) })
	cv.fill(color.RGBA{0xff, 0xff, 0xff, 0xff}, func(r *vector.Rasterizer) { circle(r, 32*s, 32*s, 20*s) })
	cv.fill(color.RGBA{0x15, 0x65, 0xc0, 0xff}, func(r *vector.Rasterizer) { circle(r, 32*s, 32*s, 15*s) })
	cv.fill(color.RGBA{0xff, 0xff, 0xff, 0xff}, func(r *vector.Rasterizer) {
		segment(r, point{24 * s, 33 * s}, point{30 * s, 39 * s}, 4.5*s)
		segment(r, point{30 * s, 39 * s}, point{41 * s, 26 * s}, 4.5*s)
	})
	return cv.img
}

func roundedSquare(r *vector.Rasterizer, lo, hi, radius float32) {
	corners := []struct{ cx, cy, start float32 }{
		{hi - radius, lo + radius, -math.Pi / 2}, {hi - radius, hi - radius, 0},
		{lo + radius, hi - radius, math.Pi / 2}, {lo + radius, lo + radius, math.Pi},
	}
	first := true
	for _, c := range corners {
		for i := 0; i <= 16; i++ {
			a := float64(c.start) + math.Pi/2*float64(i)/16
			x, y := c.cx+radius*float32(math.Cos(a)), c.cy+radius*float32(math.Sin(a))
			if first {
				r.MoveTo(x, y)
				first = false
			} else {
				r.LineTo(x, y)
			}
		}
	}
	r.ClosePath()
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return f.Close()
}

func main() {
	dir := "icons"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for state := range palette {
		for panel := range outline {
			name := filepath.Join(dir, fmt.Sprintf("tray-%s-%s.png", state, panel))
			if err := write(name, trayIcon(state, panel)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
	if err := write(filepath.Join(dir, "apuri.png"), appIcon()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
