//go:build linux

package lab

import (
	"os"
	"testing"
)

// Need skips a test that cannot build a lab here and says what is missing; under CI=true a
// missing requirement fails instead, so the lab cannot silently stop running. -short skips it.
func Need(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("the network lab is skipped in -short mode")
	}
	if m := Missing(); m != "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the network lab needs %s", m)
		}
		tb.Skipf("the network lab needs %s (run the lab tests as root)", m)
	}
}

// NeedNFT skips a test whose faults need nftables where it is missing; under CI=true it fails.
func NeedNFT(tb testing.TB) {
	tb.Helper()
	if m := NFTMissing(); m != "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the path faults need %s", m)
		}
		tb.Skipf("the path faults need %s", m)
	}
}
