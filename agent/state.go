package agent

import (
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/fleet"
)

// Status is the tray's state, derived from the agent's state.
type Status string

// The tray states; each has its own icon.
const (
	StatusUnknown  Status = "unknown"  // no diagnosis yet
	StatusChecking Status = "checking" // a diagnosis is running
	StatusHealthy  Status = "healthy"  // the latest verdict is ok
	StatusWarning  Status = "warning"  // the latest verdict is warn
	StatusProblem  Status = "problem"  // the latest verdict is fail
)

// State is a snapshot of the agent: what the tray shows and what the windows read.
type State struct {
	Status Status `json:"status"`
	// Running is true while a diagnosis runs.
	Running bool `json:"running"`
	// Run numbers the diagnoses: the running one, else the last one; 0 before the first.
	Run uint64 `json:"run"`
	// StartedAt is when the running (or last) diagnosis started, by the agent's clock.
	StartedAt time.Time `json:"started_at,omitzero"`
	// FinishedAt is when the last diagnosis finished.
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Progress is, while a diagnosis runs, the latest event of each check in the order the
	// checks started: a row is "checking" until its finished event arrives. Empty otherwise.
	Progress []diagnostics.Event `json:"progress"`
	// Report is the latest finished diagnosis, nil before the first. Its Summary and Advice
	// texts are not filled: the reader localizes it (Report.Localize) in its own language.
	Report *diagnostics.Report `json:"report,omitempty"`
	// Lang is the language in effect: the --lang flag, else the setting, else the system's.
	Lang     string   `json:"lang"`
	Settings Settings `json:"settings"`
	// StartAtLoginManaged says the organisation's policy decides Settings.StartAtLogin: the
	// settings window shows it and does not offer to change it.
	StartAtLoginManaged bool `json:"start_at_login_managed,omitempty"`
	// ProfileSource says where the profile in use came from ("flag", "policy", "user",
	// "system", "embedded"); ProfileProblems counts the problems of the sources passed over.
	ProfileSource   string `json:"profile_source"`
	ProfileProblems int    `json:"profile_problems"`
	// Problems are the agent's own troubles the user may need to see (a corrupt settings file).
	Problems []Problem `json:"problems,omitempty"`
	// Watch is the connection as the watcher last saw it (agent/watch.go).
	Watch WatchStatus `json:"watch"`
	// Requests are the support requests not yet delivered (agent/requests.go).
	Requests RequestsState `json:"requests"`
	// Disruptions is the feed of known disruptions as last read; nil while the profile names
	// no feed or StartDisruptions was not called (agent/disruptions.go).
	Disruptions *disruptions.State `json:"disruptions,omitempty"`
	// Fleet says what is shared with the organisation's collector, with whom and since when;
	// nil while the profile asks for no export (agent/fleet.go).
	Fleet *fleet.Status `json:"fleet,omitempty"`
}

// State returns a snapshot of the agent.
func (a *Agent) State() State {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stateLocked()
}

// Status is the tray state alone.
func (a *Agent) Status() Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.statusLocked()
}

// Report is the latest finished diagnosis (a copy the caller may Localize), nil before the first.
func (a *Agent) Report() *diagnostics.Report {
	a.mu.Lock()
	defer a.mu.Unlock()
	return cloneReport(a.report)
}

func (a *Agent) statusLocked() Status {
	if a.run != nil {
		return StatusChecking
	}
	if a.report == nil {
		return StatusUnknown
	}
	switch a.report.Verdict.Status {
	case diagnostics.StatusOK:
		return StatusHealthy
	case diagnostics.StatusWarn:
		return StatusWarning
	case diagnostics.StatusFail:
		return StatusProblem
	}
	return StatusUnknown
}

func (a *Agent) stateLocked() State {
	s := State{
		Status:          a.statusLocked(),
		Running:         a.run != nil,
		Run:             a.runs,
		StartedAt:       a.startedAt,
		FinishedAt:      a.finishedAt,
		Progress:        append([]diagnostics.Event{}, a.progress...),
		Report:          cloneReport(a.report),
		Lang:            a.langLocked(),
		Settings:        a.settings,
		ProfileSource:   a.loaded.Source.Kind,
		ProfileProblems: len(a.loaded.Problems),
		Problems:        append([]Problem(nil), a.problems...),
		Watch:           a.watchStatusLocked(),
		Requests:        a.requests.stateLocked(),
		Disruptions:     a.disruptionsStateLocked(),
		Fleet:           a.fleetStatusLocked(),
	}
	_, s.StartAtLoginManaged = a.cfg.Autostart.(*managedAutostart)
	return s
}

// cloneReport copies what Report.Localize writes, so that each reader may localize its own copy.
func cloneReport(r *diagnostics.Report) *diagnostics.Report {
	if r == nil {
		return nil
	}
	c := *r
	c.Checks = append([]diagnostics.Result(nil), r.Checks...)
	c.Verdict.Advice = append([]string(nil), r.Verdict.Advice...)
	return &c
}
