// Package timeline keeps the connection's history: incidents (when it broke, why, when it came
// back) and quality samples (latency and loss to the gateway, the internet probe and the
// organisation's hosts behind the VPN). The details window draws the last day from it and the
// support bundle carries it, so support sees how the connection behaved, not only how it is now.
//
// The store is a bbolt file (go.etcd.io/bbolt, the embedded B+tree etcd keeps). Two processes
// may write it (the tray agent, or `apuri watch` run while no agent is), so it must survive
// crashes and concurrent writers without a server: bbolt commits copy-on-write with checksummed
// meta pages, so a crash loses at most the transaction under way and never corrupts what was
// committed; its file lock (flock, LockFileEx on Windows) serialises writers, and Options.Timeout
// bounds the wait for it. An append-only JSON-lines file would need the same lock, plus torn-line
// recovery and a compaction that rewrites the file; bbolt gives all of that, tested by etcd.
// Each operation opens and closes the file, so neither process holds the lock while idle.
//
// Size is bounded twice: records older than Retention are dropped, and beyond MaxSamples and
// MaxIncidents the oldest go first. bbolt reuses freed pages, so the file stops growing.
//
// Every commit waits for the disk (fsync), and a healthy watcher samples every 30 s all day, so
// samples are kept in memory and written together every FlushEvery, with any incident, and
// before every query; a crash loses at most those minutes of samples, never an incident.
package timeline

import (
	"time"

	"github.com/apuri-project/apuri/diagnostics"
)

// Schema names the JSON form of a Timeline (Export, the agent's GET /v1/timeline).
const Schema = "apuri.timeline/v1"

// The kinds of incident.
const (
	KindLost     = "lost"     // the connection did not work
	KindDegraded = "degraded" // it worked, slowly or losing packets
)

// Incident is one stretch of time the connection was lost or degraded.
type Incident struct {
	ID   uint64 `json:"id"`
	Kind string `json:"kind"`
	// Start is when it began; End when it was over, zero while it lasts.
	Start time.Time `json:"start"`
	End   time.Time `json:"end,omitzero"`
	// Cause is what the watcher's quick probe found first; Diagnosis the verdict of the
	// diagnosis run automatically when it began, once that has finished.
	Cause     diagnostics.Cause `json:"cause"`
	Diagnosis diagnostics.Cause `json:"diagnosis,omitempty"`
	// Lost is what the user lost: the whole connection, the VPN or a service (the layer of
	// the diagnosis, or of the cause until the diagnosis is in). Empty in records written
	// before it was kept; What works it out for those.
	Lost diagnostics.Layer `json:"lost,omitempty"`
	// Bounces counts how often the connection came back and broke again within it.
	Bounces int `json:"bounces,omitempty"`
	// PID is the process that recorded it; Abandoned marks one whose process ended before the
	// incident did (its End is then the last moment known).
	PID       int  `json:"pid,omitempty"`
	Abandoned bool `json:"abandoned,omitempty"`
}

// What is what the incident took away: the layer recorded, or for an older record the layer
// of its diagnosis or cause.
func (i Incident) What() diagnostics.Layer {
	switch {
	case i.Lost != "":
		return i.Lost
	case i.Diagnosis != "":
		return i.Diagnosis.Layer()
	}
	return i.Cause.Layer()
}

// Ongoing reports whether the incident has not ended.
func (i Incident) Ongoing() bool { return i.End.IsZero() }

// Sample is one probe's measurements.
type Sample = diagnostics.WatchSample

// Timeline is the history between Since and Until, oldest first.
type Timeline struct {
	Schema    string     `json:"schema"`
	Since     time.Time  `json:"since"`
	Until     time.Time  `json:"until"`
	Incidents []Incident `json:"incidents"`
	Samples   []Sample   `json:"samples"`
}

// Lost counts the incidents of kind lost, for "dropped 5 times this morning".
func (t *Timeline) Lost() int {
	n := 0
	for _, i := range t.Incidents {
		if i.Kind == KindLost {
			n++
		}
	}
	return n
}
