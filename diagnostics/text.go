package diagnostics

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/apuri-project/apuri/internal/safetext"
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
		fmt.Fprintf(&b, "  %s\n", tr.T("report.known_disruption", map[string]any{"title": oneLine(d.Title)}))
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
			fmt.Fprintf(&b, "  • %s", oneLine(d.Title))
			if d.URL != "" {
				fmt.Fprintf(&b, " — %s", oneLine(d.URL))
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n%s\n", tr.T("report.header", map[string]any{
		"time":    r.StartedAt.Local().Format("2006-01-02 15:04:05"),
		"seconds": fmt.Sprintf("%.2f", float64(r.DurationMS)/1000),
	}))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, c := range r.Checks {
		fmt.Fprintf(tw, "  %s %s\t%s\t%s\t%d ms\n", statusMark[c.Status], tr.T("status."+string(c.Status), nil),
			CheckName(tr, c.ID), oneLine(c.Summary), c.DurationMS)
	}
	_ = tw.Flush()
	return b.String()
}

// oneLine is a text as one clean line. The report may have come from elsewhere (the agent, a
// file), so what it quotes from outside is cleaned again here, where it meets the terminal.
func oneLine(s string) string { return safetext.Line(s, 0) }

// CheckName is a check's name for people: "Name service (DNS)" rather than "network.dns".
func CheckName(tr Translator, id string) string {
	if name, ok := strings.CutPrefix(id, ServicePrefix); ok {
		return tr.T("check.name.service", map[string]any{"name": name})
	}
	key := "check.name." + id
	if name := tr.T(key, nil); name != key {
		return name
	}
	return id
}
