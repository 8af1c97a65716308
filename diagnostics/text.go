package diagnostics

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/safetext"
	"github.com/apuri-project/apuri/profile"
)

// statusMark gives each status a symbol that reads without colour.
var statusMark = map[Status]string{StatusOK: "✓", StatusWarn: "!", StatusFail: "✗", StatusSkip: "–"}

// Text renders a localized report for people: the verdict and its advice on top, then one row
// per check. The CLI prints it and the support bundle carries it as report.txt.
func (r *Report) Text(tr Translator) string {
	var b strings.Builder
	v := r.Verdict
	fmt.Fprintf(&b, "%s %s\n", statusMark[v.Status], oneLine(v.Summary))
	if d := v.Disruption; d != nil {
		fmt.Fprintf(&b, "  %s\n", tr.T("report.known_disruption", map[string]any{"title": oneLine(d.Heading(tr))}))
		if d.URL != "" {
			fmt.Fprintf(&b, "  %s\n", tr.T("report.bulletin", map[string]any{"url": oneLine(d.URL)}))
		}
	}
	if len(v.Advice) > 0 {
		fmt.Fprintf(&b, "\n%s\n", tr.T("report.try", nil))
		for i, a := range v.Advice {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, a)
		}
	}
	if len(r.Disruptions) > 0 {
		fmt.Fprintf(&b, "\n%s\n", tr.T("report.disruptions", map[string]any{"count": len(r.Disruptions)}))
		for _, d := range r.Disruptions {
			fmt.Fprintf(&b, "  • %s", oneLine(d.Heading(tr)))
			if d.URL != "" {
				fmt.Fprintf(&b, " — %s", oneLine(d.URL))
			}
			b.WriteString("\n")
		}
	}
	lang := langOf(tr)
	fmt.Fprintf(&b, "\n%s\n", tr.T("report.header", map[string]any{
		"time":    i18n.FormatDateTime(lang, r.StartedAt.Local()),
		"seconds": i18n.FormatNumber(lang, float64(r.DurationMS)/1000, 1),
	}))
	// One figure per row, the one in its sentence: the time a check took is in the JSON report.
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, c := range r.Checks {
		fmt.Fprintf(tw, "  %s %s\t%s\t%s\n", statusMark[c.Status], tr.T("status."+string(c.Status), nil),
			CheckName(tr, c.ID, c.Title), oneLine(c.Summary))
	}
	_ = tw.Flush()
	return b.String()
}

// langOf is the translator's language, for dates and numbers; English when it does not say.
func langOf(tr Translator) string {
	if l, ok := tr.(interface{ Lang() string }); ok {
		return l.Lang()
	}
	return i18n.Fallback
}

// oneLine is a text as one clean line. The report may have come from elsewhere (the agent, a
// file), so what it quotes from outside is cleaned again here, where it meets the terminal.
func oneLine(s string) string { return safetext.Line(s, 0) }

// CheckName is a check's name for people: "Name lookup (DNS)" rather than "network.dns". A
// service is called by its title (Result.Title) when the profile gives one, else "Service" and
// its name written as a name; never by its ID. So is a check the organisation wrote (custom.),
// whose title the profile always gives.
func CheckName(tr Translator, id string, title map[string]string) string {
	if name, ok := strings.CutPrefix(id, ServicePrefix); ok {
		if len(title) > 0 {
			return oneLine(i18n.Localized(title).In(langOf(tr)))
		}
		return tr.T("check.name.service", map[string]any{"name": profile.DisplayName(name)})
	}
	if id, ok := strings.CutPrefix(id, CustomPrefix); ok {
		if len(title) > 0 {
			return oneLine(i18n.Localized(title).In(langOf(tr)))
		}
		return profile.DisplayName(id)
	}
	key := "check.name." + id
	if name := tr.T(key, nil); name != key {
		return name
	}
	return id
}
