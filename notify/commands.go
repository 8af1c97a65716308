package notify

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
)

// macArgs is the osascript command line that shows m on macOS. The texts travel as arguments
// of the script, never inside it, so no text can change what the script does.
func macArgs(appName string, m Notification) []string {
	return []string{
		"-e", "on run argv",
		"-e", "display notification (item 3 of argv) with title (item 1 of argv) subtitle (item 2 of argv)",
		"-e", "end run",
		appName, m.Summary, m.Body,
	}
}

// windowsAppID is the Start-menu identity the fall-back's toast is shown under. Windows shows
// toasts only for a registered identity; Windows PowerShell's is present on every Windows 10
// and 11, so the fall-back works where no installer has registered Apuri's own.
const windowsAppID = `{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\WindowsPowerShell\v1.0\powershell.exe`

// windowsArgs is the Windows PowerShell command line that shows m as a toast, the fall-back
// where the native toast (toast_windows.go) cannot be shown. The script is
// passed encoded, and the texts are single-quoted PowerShell strings, so no text can change
// what the script does.
func windowsArgs(m Notification) []string {
	script := strings.Join([]string{
		"$ErrorActionPreference = 'Stop'",
		"[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null",
		"$x = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)",
		"$t = $x.GetElementsByTagName('text')",
		"$t.Item(0).AppendChild($x.CreateTextNode(" + psQuote(m.Summary) + ")) | Out-Null",
		"$t.Item(1).AppendChild($x.CreateTextNode(" + psQuote(m.Body) + ")) | Out-Null",
		"[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier(" + psQuote(windowsAppID) +
			").Show([Windows.UI.Notifications.ToastNotification]::new($x))",
	}, "\n")
	return []string{"-NoProfile", "-NonInteractive", "-WindowStyle", "Hidden", "-EncodedCommand", encodePS(script)}
}

// psQuote makes s a single-quoted PowerShell string. PowerShell also ends such a string at the
// typographic single quotes, so every kind is doubled.
func psQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'', '\u2018', '\u2019', '\u201a', '\u201b':
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// encodePS encodes a script for -EncodedCommand: base64 of its UTF-16LE bytes.
func encodePS(script string) string {
	u := utf16.Encode([]rune(script))
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return base64.StdEncoding.EncodeToString(b)
}
