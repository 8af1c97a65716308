//go:build !linux

package diagnostics

import (
	"context"
	"errors"
	"net/url"
	"testing"
)

// Where the segment size cannot be capped, the probe says so and concludes nothing.
func TestProbeIsUnsupportedHere(t *testing.T) {
	if err := capMSS(536)("tcp", "127.0.0.1:80", nil); !errors.Is(err, errMSSUnsupported) {
		t.Errorf("capMSS = %v, want errMSSUnsupported", err)
	}
	f := (&mtuProber{}).probe(context.Background(), &url.URL{Scheme: "http", Host: "127.0.0.1"})
	if f.method != MTUProbeUnsupported || f.blackHole() || len(f.details()) != 1 {
		t.Errorf("finding = %+v, details %v", f, f.details())
	}
}
