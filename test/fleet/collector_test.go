//go:build linux

package fleet_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// collectorSources are the files the collector binary is built from, in ./collector: a change
// to any of them (a new pinned version, another component) makes a new binary.
var collectorSources = []string{"go.mod", "go.sum", "main.go"}

// collectorBinary returns the OpenTelemetry Collector built from ./collector, building it first
// when no build of these sources exists. Builds are kept beside the Go build cache
// (…/apuri-fleet-collector/KEY/otelcol), keyed by the sources and the Go version, so only the
// first run on a machine pays for the build; a lock keeps parallel runs from building twice.
func collectorBinary() (string, error) {
	key, err := collectorKey()
	if err != nil {
		return "", err
	}
	cache, err := collectorCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, key)
	bin := filepath.Join(dir, "otelcol")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("collector cache: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", fmt.Errorf("collector cache lock: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("collector cache lock: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	fmt.Fprintf(os.Stderr, "fleet: building the OpenTelemetry Collector into %s (the first time takes minutes)\n", dir)
	tmp := bin + ".tmp"
	build := exec.Command("go", "build", "-o", tmp, ".")
	build.Dir = "collector"
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build the collector: %w", err)
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", fmt.Errorf("collector cache: %w", err)
	}
	return bin, nil
}

// collectorKey hashes the collector's sources and the Go toolchain that builds them.
func collectorKey() (string, error) {
	h := sha256.New()
	for _, name := range collectorSources {
		f, err := os.Open(filepath.Join("collector", name))
		if err != nil {
			return "", fmt.Errorf("collector sources: %w", err)
		}
		fmt.Fprintf(h, "%s\n", name)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("collector sources: %w", err)
		}
	}
	out, err := exec.Command("go", "env", "GOVERSION", "GOOS", "GOARCH").Output()
	if err != nil {
		return "", fmt.Errorf("go env: %w", err)
	}
	h.Write(out)
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// collectorCacheDir is a sibling of the Go build cache, so it lives and is cleaned where the
// developer keeps build results (APURI_COLLECTOR_CACHE overrides it).
func collectorCacheDir() (string, error) {
	if dir := os.Getenv("APURI_COLLECTOR_CACHE"); dir != "" {
		return dir, nil
	}
	out, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOCACHE: %w", err)
	}
	gocache := strings.TrimSpace(string(out))
	if gocache == "" || gocache == "off" {
		return "", fmt.Errorf("no Go build cache (GOCACHE=%q); set APURI_COLLECTOR_CACHE", gocache)
	}
	return filepath.Join(filepath.Dir(gocache), "apuri-fleet-collector"), nil
}
