package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestFormatsPerLanguage(t *testing.T) {
	helsinki := time.FixedZone("EET", 2*3600)
	morning := time.Date(2026, 12, 3, 8, 2, 7, 0, helsinki)
	evening := time.Date(2026, 12, 2, 21, 33, 0, 0, helsinki)
	type row struct{ fi, sv, en string }
	for _, tt := range []struct {
		name string
		f    func(lang string) string
		want row
	}{
		{"time", func(l string) string { return FormatTime(l, morning) }, row{"8.02", "8.02", "08:02"}},
		{"time in the evening", func(l string) string { return FormatTime(l, evening) }, row{"21.33", "21.33", "21:33"}},
		{"seconds", func(l string) string { return FormatTimeSeconds(l, morning) }, row{"8.02.07", "8.02.07", "08:02:07"}},
		{"bytes", func(l string) string { return FormatBytes(l, 512) }, row{"512\u00a0t", "512\u00a0B", "512\u00a0B"}},
		{"kilobytes", func(l string) string { return FormatBytes(l, 999_600) }, row{"1,0\u00a0Mt", "1,0\u00a0MB", "1.0\u00a0MB"}},
		{"gigabytes", func(l string) string { return FormatBytes(l, 1_234_000_000) }, row{"1,2\u00a0Gt", "1,2\u00a0GB", "1.2\u00a0GB"}},
		{"many megabytes", func(l string) string { return FormatBytes(l, 356_700_000) }, row{"357\u00a0Mt", "357\u00a0MB", "357\u00a0MB"}},
		{"date", func(l string) string { return FormatDate(l, morning) }, row{"3.12.2026", "3.12.2026", "3\u00a0Dec\u00a02026"}},
		{"date and time", func(l string) string { return FormatDateTime(l, morning) },
			row{"3.12.2026 klo\u00a08.02", "3.12.2026 kl.\u00a08.02", "08:02 on 3\u00a0Dec\u00a02026"}},
		{"when, today", func(l string) string { return FormatWhen(l, morning, morning.Add(time.Hour)) },
			row{"klo\u00a08.02", "kl.\u00a08.02", "08:02"}},
		{"when, yesterday", func(l string) string { return FormatWhen(l, evening, morning) },
			row{"2.12.2026 klo\u00a021.33", "2.12.2026 kl.\u00a021.33", "21:33 on 2\u00a0Dec\u00a02026"}},
		{"clock, today", func(l string) string { return FormatClock(l, morning, morning) }, row{"8.02", "8.02", "08:02"}},
		{"clock, yesterday", func(l string) string { return FormatClock(l, evening, morning) },
			row{"2.12.2026 21.33", "2.12.2026 21.33", "2\u00a0Dec\u00a02026 21:33"}},
		{"milliseconds", func(l string) string { return FormatDuration(l, 45*time.Millisecond) }, row{"45\u00a0ms", "45\u00a0ms", "45\u00a0ms"}},
		{"tenths", func(l string) string { return FormatDuration(l, 1520*time.Millisecond) }, row{"1,5\u00a0s", "1,5\u00a0s", "1.5\u00a0s"}},
		{"whole seconds", func(l string) string { return FormatDuration(l, 2*time.Second) }, row{"2\u00a0s", "2\u00a0s", "2\u00a0s"}},
		{"seconds", func(l string) string { return FormatDuration(l, 45*time.Second) }, row{"45\u00a0s", "45\u00a0s", "45\u00a0s"}},
		{"minutes", func(l string) string { return FormatDuration(l, 3*time.Minute+10*time.Second) }, row{"3\u00a0min", "3\u00a0min", "3\u00a0min"}},
		{"almost an hour", func(l string) string { return FormatDuration(l, 59*time.Minute+50*time.Second) }, row{"1\u00a0h", "1\u00a0h", "1\u00a0h"}},
		{"hours", func(l string) string { return FormatDuration(l, 2*time.Hour+5*time.Minute) }, row{"2\u00a0h 5\u00a0min", "2\u00a0h 5\u00a0min", "2\u00a0h 5\u00a0min"}},
		{"number", func(l string) string { return FormatNumber(l, 1.25, 1) }, row{"1,2", "1,2", "1.2"}},
	} {
		for lang, want := range map[string]string{"fi": tt.want.fi, "sv": tt.want.sv, "en": tt.want.en} {
			if got := tt.f(lang); got != want {
				t.Errorf("%s in %s: %q, want %q", tt.name, lang, got, want)
			}
		}
	}
}

// TestSameDayIsReadInTheTimesOwnZone: a moment just after midnight in Helsinki is "today" there,
// even when the clock that says "now" is in UTC and still on the day before.
func TestSameDayIsReadInTheTimesOwnZone(t *testing.T) {
	helsinki := time.FixedZone("EET", 2*3600)
	t0 := time.Date(2026, 12, 3, 0, 30, 0, 0, helsinki)
	now := time.Date(2026, 12, 2, 23, 0, 0, 0, time.UTC) // 1.00 on 3 December in Helsinki
	if got := FormatWhen("fi", t0, now); got != "klo\u00a00.30" {
		t.Errorf("got %q", got)
	}
}

// humanLayout matches a time layout written for people: those belong in this package's
// formatters, so that every window, the tray, the command line and the support request agree.
var humanLayout = regexp.MustCompile(`\.Format\("[^"]*(?:15[:.]04|2006-01-02|2\.1\.2006|Jan)[^"]*"\)`)

// TestPeopleSeeTimesThroughTheFormatter scans the module's code for time layouts meant for
// people outside this package; machine formats (RFC 3339, file names) are not matched.
func TestPeopleSeeTimesThroughTheFormatter(t *testing.T) {
	scanned := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			filepath.Dir(path) == filepath.Join("..", "i18n") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		for _, m := range humanLayout.FindAllString(string(src), -1) {
			t.Errorf("%s formats a time for people with %s: use i18n.FormatTime, FormatDate, FormatWhen or FormatClock", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 100 {
		t.Fatalf("scanned only %d files; is the walk looking in the right place?", scanned)
	}
}
