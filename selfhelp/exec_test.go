package selfhelp

import (
	"context"
	"strings"
	"testing"
	"time"
)

// These run harmless shell commands through the real helpers, never through Remedies.
func TestExecHelpers(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		do      func() error
		wantErr string
	}{
		{"run reports the command's own words", func() error {
			return runCommand(ctx, "sh", "-c", "echo 'Access denied' >&2; echo more >&2; exit 1")
		}, "exit status 1: Access denied"},
		{"run succeeds quietly", func() error { return runCommand(ctx, "sh", "-c", "exit 0") }, ""},
		{"start reports a handler that fails at once", func() error {
			return startWithin(ctx, time.Minute, "sh", "-c", "exit 3")
		}, "exit status 3"},
		{"start does not wait for a handler that keeps running", func() error {
			return startWithin(ctx, 0, "sh", "-c", "exec sleep 0.2")
		}, ""},
		{"start of a missing program fails", func() error {
			return startWithin(ctx, time.Minute, "/nonexistent/apuri-test-browser")
		}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
