package diagnostics

import "strings"

// parseSoftwareUpdate reads softwareupdate's list: "* Label: …" lines, each followed by a line
// of comma-separated fields, among them "Action: restart".
func parseSoftwareUpdate(out string) RebootState {
	var st RebootState
	var label string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if l, ok := strings.CutPrefix(line, "* Label:"); ok {
			label = strings.TrimSpace(l)
			continue
		}
		for _, field := range strings.Split(line, ",") {
			if strings.TrimSpace(field) == "Action: restart" && label != "" {
				st.Pending = true
				st.Packages = append(st.Packages, label)
			}
		}
	}
	if st.Pending {
		st.Sources = []string{RebootSourceSoftwareUpdate}
	}
	return st
}
