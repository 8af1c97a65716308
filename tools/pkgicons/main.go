// Command pkgicons scales Apuri's application icon (assets/icons/apuri.png) to the sizes that
// the packages want: the freedesktop hicolor theme, the Windows .ico and the macOS .icns are
// all made from the same picture, so every platform shows the icon the windows show.
//
//	go run ./tools/pkgicons -out DIR [-sizes 16,32,...] [-fill F]
//
// writes DIR/NxN.png for each size. -fill makes the icon's opaque part (the tile) fill the
// fraction F of the canvas, centred: macOS draws icons on a grid that leaves a margin
// (824 of 1024 pixels), while the hicolor theme and Windows use the tile as drawn.
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
)

func main() {
	src := flag.String("src", "assets/icons/apuri.png", "the application icon, a square PNG")
	out := flag.String("out", "", "the directory to write NxN.png into")
	sizes := flag.String("sizes", "16,22,24,32,48,64,128,256,512", "comma-separated sizes in pixels")
	fill := flag.Float64("fill", 0, "the fraction of the canvas the opaque part fills (0: as drawn)")
	flag.Parse()
	if err := run(*src, *out, *sizes, *fill); err != nil {
		fmt.Fprintln(os.Stderr, "icons:", err)
		os.Exit(1)
	}
}

func run(src, out, sizeList string, fill float64) error {
	if out == "" {
		return errors.New("-out is required")
	}
	if fill < 0 || fill > 1 {
		return fmt.Errorf("-fill %v is not between 0 and 1", fill)
	}
	sizes, err := parseSizes(sizeList)
	if err != nil {
		return err
	}
	img, err := readPNG(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, n := range sizes {
		path := filepath.Join(out, fmtSize(n))
		if err := writePNG(path, scale(img, n, fill)); err != nil {
			return err
		}
	}
	return nil
}

// fmtSize names the file of one size, as the hicolor theme names its directories.
func fmtSize(n int) string { return fmt.Sprintf("%dx%d.png", n, n) }

func parseSizes(list string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("size %q is not a number of pixels from 1 to 1024", f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// scale draws img on an n×n canvas. With fill > 0 the bounds of its opaque pixels are
// scaled to fill·n and centred; otherwise the whole picture is scaled to n.
func scale(img image.Image, n int, fill float64) *image.NRGBA {
	from := img.Bounds()
	to := image.Rect(0, 0, n, n)
	if fill > 0 {
		from = opaqueBounds(img)
		side := max(from.Dx(), from.Dy())
		inner := int(float64(n)*fill + 0.5)
		w, h := inner*from.Dx()/side, inner*from.Dy()/side
		x0, y0 := (n-w)/2, (n-h)/2
		to = image.Rect(x0, y0, x0+w, y0+h)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, n, n))
	draw.CatmullRom.Scale(dst, to, img, from, draw.Src, nil)
	return dst
}

// opaqueBounds is the smallest rectangle holding every pixel that is not fully transparent.
func opaqueBounds(img image.Image) image.Rectangle {
	b := img.Bounds()
	var r image.Rectangle
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if r.Empty() {
		return b
	}
	return r
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if b := img.Bounds(); b.Dx() != b.Dy() {
		return nil, fmt.Errorf("%s is %dx%d, not square", path, b.Dx(), b.Dy())
	}
	return img, nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
