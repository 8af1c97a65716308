package diagnostics

import (
	"context"
	"time"
)

// What the macOS and Windows answers become, kept apart from the calls that fetch them so that
// every system's reading is tested everywhere.

// softwareUpdateState counts the updates in softwareupdate's list.
func softwareUpdateState(out string) UpdatesState {
	var st UpdatesState
	for _, it := range parseSoftwareUpdateList(out) {
		st.Count++
		st.Names = append(st.Names, it.Label)
	}
	return st
}

// wuaUpdate is what Apuri reads of one update the Windows Update Agent lists.
type wuaUpdate struct {
	Title string
	// Published is the update's LastDeploymentChangeTime: when it was offered to computers.
	Published time.Time
	// Severity is the Microsoft Security Response Center's rating; empty for other updates.
	Severity string
}

// wuaSearcher lists the updates not installed and not hidden, from what Windows Update last
// found: it does not go online.
type wuaSearcher interface {
	search(ctx context.Context) ([]wuaUpdate, error)
}

// searchWUA asks s and reads its answer.
func searchWUA(ctx context.Context, s wuaSearcher) (UpdatesState, error) {
	list, err := s.search(ctx)
	if err != nil {
		return UpdatesState{}, err
	}
	return wuaState(list), nil
}

// wuaState counts the updates and dates the wait by the oldest one's publication.
func wuaState(updates []wuaUpdate) UpdatesState {
	var st UpdatesState
	for _, u := range updates {
		st.Count++
		if u.Severity != "" {
			st.Security++
		}
		st.Names = append(st.Names, u.Title)
		if !u.Published.IsZero() && (st.Since.IsZero() || u.Published.Before(st.Since)) {
			st.Since = u.Published
		}
	}
	if !st.Since.IsZero() {
		st.Basis = UpdatesBasisPublished
	}
	return st
}
