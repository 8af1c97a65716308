package diagnostics

import "strings"

// softwareUpdateItem is one update in softwareupdate's list.
type softwareUpdateItem struct {
	Label   string
	Restart bool // "Action: restart": it finishes only at a restart
}

// parseSoftwareUpdateList reads softwareupdate's list: "* Label: …" lines, each followed by a
// line of comma-separated fields, among them "Action: restart". The labels are not translated
// by macOS, so reading them does not depend on the user's language.
func parseSoftwareUpdateList(out string) []softwareUpdateItem {
	var items []softwareUpdateItem
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if l, ok := strings.CutPrefix(line, "* Label:"); ok {
			if l = strings.TrimSpace(l); l != "" {
				items = append(items, softwareUpdateItem{Label: l})
			}
			continue
		}
		for _, field := range strings.Split(line, ",") {
			if strings.TrimSpace(field) == "Action: restart" && len(items) > 0 {
				items[len(items)-1].Restart = true
			}
		}
	}
	return items
}

// parseSoftwareUpdate: the updates in the list that wait for a restart.
func parseSoftwareUpdate(out string) RebootState {
	var st RebootState
	for _, it := range parseSoftwareUpdateList(out) {
		if it.Restart {
			st.Pending = true
			st.Packages = append(st.Packages, it.Label)
		}
	}
	if st.Pending {
		st.Sources = []string{RebootSourceSoftwareUpdate}
	}
	return st
}
