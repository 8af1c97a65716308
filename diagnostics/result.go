// Package diagnostics runs Apuri's checks concurrently and names the first broken layer.
//
// A check never answers with a bare bool: its Result says what was measured, why it is a problem
// and how long it took, so that the user, the UI and the support request can all say *why*.
package diagnostics

import (
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// Status is the outcome of one check.
type Status string

// The statuses, from best to worst; skip means the check did not apply here.
const (
	StatusOK   Status = "ok"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
)

// severity orders statuses so that the worst of several can be picked.
func (s Status) severity() int {
	switch s {
	case StatusFail:
		return 3
	case StatusWarn:
		return 2
	case StatusOK:
		return 1
	}
	return 0
}

// Worse reports whether s is worse than other.
func (s Status) Worse(other Status) bool { return s.severity() > other.severity() }

// Group is the layer family a check belongs to.
type Group string

// The groups of checks.
const (
	GroupNetwork Group = "network"
	GroupVPN     Group = "vpn"
	GroupService Group = "service"
	GroupSystem  Group = "system"
	// GroupCustom holds the checks the organisation writes itself ([[checks]]).
	GroupCustom Group = "custom"
	// GroupAccount is the user's own sign-in: a password or a certificate that runs out
	// breaks every connection and service alike, although the network works.
	GroupAccount Group = "account"
)

// Result is what one check found.
type Result struct {
	ID      string       `json:"id"`
	Group   Group        `json:"group"`
	Status  Status       `json:"status"`
	Message i18n.Message `json:"message"`
	// Summary is Message rendered in the reader's language (filled by Report.Localize).
	Summary string `json:"summary"`
	// Title is what people call what was checked, per language: a service's title from the
	// profile. Empty for Apuri's own checks, which have translated names (CheckName).
	Title map[string]string `json:"title,omitempty"`
	// Reason is a machine-readable cause inside the check ("no_link", "captive_portal"…) that the
	// verdict uses; empty when the status says everything.
	Reason   string         `json:"reason,omitempty"`
	Details  map[string]any `json:"details"`
	Duration time.Duration  `json:"-"`
	// DurationMS is Duration in milliseconds, for the JSON report.
	DurationMS int64    `json:"duration_ms"`
	Log        []string `json:"log,omitempty"`
}

// Detail sets one structured detail and returns the result, for chaining in checks.
func (r Result) Detail(key string, value any) Result {
	if r.Details == nil {
		r.Details = map[string]any{}
	}
	r.Details[key] = value
	return r
}

// OK, Warn, Fail and Skip build results with a message; the runner fills ID, group and timing.
func OK(m i18n.Message) Result   { return Result{Status: StatusOK, Message: m} }
func Warn(m i18n.Message) Result { return Result{Status: StatusWarn, Message: m} }
func Fail(m i18n.Message) Result { return Result{Status: StatusFail, Message: m} }
func Skip(m i18n.Message) Result { return Result{Status: StatusSkip, Message: m} }

// Because sets the machine-readable reason.
func (r Result) Because(reason string) Result { r.Reason = reason; return r }
