// Package webpage writes the whole diagnosis and the support guide's ladder as one accessible
// web page. Fyne's windows cannot be read by a screen reader, a browser's page can: so the same
// facts go into a self-contained, semantic HTML5 file (its language set, headings, a real table
// with headers, the steps as an ordered list, links to the organisation's portal and
// instructions), with no scripts and nothing loaded from elsewhere, that the user's browser opens.
//
// It imports no GUI toolkit: the command line, the tray agent and the windows all use it.
package webpage

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/atomicfile"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
)

// Page is what one web page shows.
type Page struct {
	// Report is the latest finished diagnosis, nil while none has finished. It is not changed:
	// the page localizes a copy.
	Report *diagnostics.Report
	// Running says a diagnosis is under way; Report, if any, is then the one before it.
	Running bool
	// Profile is the organisation profile whose portal, instructions and phone the steps
	// name; nil means the embedded default.
	Profile *profile.Profile
	// Disruptions are the known disruptions to list; nil means those noted in Report.
	Disruptions []diagnostics.Disruption
	// Steps are the support guide's ladder; nil means selfhelp.Ladder(Report, Profile).
	Steps []selfhelp.Step
	// Made is when the page is made (default now); Location is the time zone its times are
	// shown in (default time.Local).
	Made     time.Time
	Location *time.Location
}

// Render writes the page in tr's language to w.
func Render(w io.Writer, p Page, tr *i18n.Translator) error {
	if err := pageTemplate().Execute(w, newView(p, tr)); err != nil {
		return fmt.Errorf("render the web page: %w", err)
	}
	return nil
}

// Bytes is the rendered page.
func Bytes(p Page, tr *i18n.Translator) ([]byte, error) {
	var b bytes.Buffer
	if err := Render(&b, p, tr); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Save writes the page to path atomically, readable by the user alone: it names the
// computer's addresses and the organisation's services.
func Save(path string, p Page, tr *i18n.Translator) error {
	data, err := Bytes(p, tr)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, data, 0o600); err != nil {
		return fmt.Errorf("write the web page: %w", err)
	}
	return nil
}

// FileName is the page's file name in DefaultPath's directory.
const FileName = "report.html"

// DefaultPath is where "Open as a web page" writes: the user's cache directory (apuri/report.html),
// a place of the user's own that the browser can read. Each page replaces the one before.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache directory: %w", err)
	}
	return filepath.Join(dir, "apuri", FileName), nil
}
