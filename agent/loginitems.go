package agent

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// The login items of Windows and macOS are written only there, but what they hold is built on
// every system: the installers must write the same item that the "start at login" setting
// writes and reads, and their tests, which run on Linux, compare against these.

// RunKeyPath is the per-user key whose values Windows starts at login.
const RunKeyPath = `Software\Microsoft\Windows\CurrentVersion\Run`

// RunValueName is the name of Apuri's value under RunKeyPath.
const RunValueName = "Apuri"

// RunValueData is the data of Apuri's Run value that starts exe: quoted, so that a path with
// spaces is one program.
func RunValueData(exe string) string { return `"` + exe + `"` }

// LaunchAgentLabel names Apuri's LaunchAgent; the plist is LABEL.plist.
const LaunchAgentLabel = "io.github.apuri-project.apuri"

// LaunchAgentPlist is the launchd job labelled label that starts exe at login, in the user's
// graphical session only.
func LaunchAgentPlist(label, exe string) []byte {
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>%s</string>
	<key>ProgramArguments</key>
	<array>
		<string>%s</string>
	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Interactive</string>
	<key>LimitLoadToSessionType</key>
	<string>Aqua</string>
</dict>
</plist>
`, esc(label), esc(exe))
}
