//go:build !linux && !windows

package diagnostics

import "context"

// systemWakes is nil where Apuri reads no word of waking: macOS tells it through IOKit, which
// needs cgo, and the BSDs not at all. Every failure waits Grace there.
var systemWakes func(ctx context.Context, woke func()) error
