package tray

import (
	"slices"
	"strconv"
	"strings"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
)

// Action is what choosing a menu item does.
type Action int

// The menu's actions.
const (
	ActionNone     Action = iota // a line of information
	ActionDiagnose               // start a diagnosis
	ActionWindow                 // open Item.Window
	ActionURL                    // open Item.URL with the user's default handler
	ActionWebPage                // open the diagnosis as a web page in the browser
	ActionQuit                   // quit the agent
)

// Item is one line of the tray menu. The menu is data, built from state by BuildMenu, so that
// what the user sees can be tested without a desktop.
type Item struct {
	// ID names the item for the program; it stays the same in every language.
	ID        string
	Label     string
	Tooltip   string
	Disabled  bool
	Separator bool
	Action    Action
	Window    string // for ActionWindow: one of agent.Windows
	URL       string // for ActionURL
}

// The items' IDs.
const (
	IDStatus   = "status"
	IDProblems = "problems"
	IDKnown    = "disruptions"
	IDDiagnose = "diagnose"
	IDDetails  = "details"
	IDWebPage  = "webpage"
	IDHelp     = "help"
	IDRequest  = "request"
	IDLinks    = "links"
	IDLink     = "link:" // + the link's index in the profile
	IDCall     = "call"
	IDSettings = "settings"
	IDQuit     = "quit"
	idSep      = "separator"
)

// BuildMenu is the whole tray menu for a state and profile, in tr's language. It is a pure
// function: the tray rebuilds the menu from it whenever anything it shows changes.
func BuildMenu(st agent.State, p *profile.Profile, tr *i18n.Translator) []Item {
	if p == nil {
		p = profile.Default()
	}
	items := []Item{{ID: IDStatus, Label: StatusLine(st, tr), Tooltip: verdictSummary(st, tr), Disabled: true}}
	switch {
	case st.ProfileProblems > 0:
		items = append(items, Item{ID: IDProblems, Label: tr.T("tray.menu.profile_problems", nil), Action: ActionWindow, Window: "settings"})
	case len(st.Problems) > 0:
		items = append(items, Item{ID: IDProblems, Label: tr.T("tray.menu.settings_problem", nil), Action: ActionWindow, Window: "settings"})
	}
	if it, ok := disruptionsItem(st, tr); ok {
		items = append(items, it)
	}
	items = append(items,
		separator(),
		Item{ID: IDDiagnose, Label: tr.T("tray.menu.diagnose", nil), Action: ActionDiagnose},
		Item{ID: IDDetails, Label: tr.T("tray.menu.details", nil), Action: ActionWindow, Window: "details"},
		Item{ID: IDWebPage, Label: tr.T("tray.menu.web_page", nil), Action: ActionWebPage},
		Item{ID: IDHelp, Label: tr.T("tray.menu.help", nil), Action: ActionWindow, Window: "help"},
		requestItem(p, tr),
		separator(),
	)
	links := 0
	for i, l := range p.Links {
		if l.Name == "" || !webURL(l.URL) {
			continue
		}
		label := i18n.Localized(l.Titles()).In(tr.Lang())
		items = append(items, Item{ID: IDLink + strconv.Itoa(i), Label: label, Tooltip: l.URL, Action: ActionURL, URL: l.URL})
		links++
	}
	if links == 0 {
		items = append(items, Item{ID: IDLinks, Label: tr.T("tray.menu.links_intranet", nil), Disabled: true})
	}
	items = append(items,
		callItem(p.Support, tr),
		separator(),
		Item{ID: IDSettings, Label: tr.T("tray.menu.settings", nil), Action: ActionWindow, Window: "settings"},
		Item{ID: IDQuit, Label: tr.T("tray.menu.quit", nil), Action: ActionQuit},
	)
	return items
}

// StatusLine is the tray's status in plain words: the verdict's cause in short, or how far the
// running diagnosis has got.
func StatusLine(st agent.State, tr *i18n.Translator) string {
	switch {
	case st.Running:
		total := len(st.Progress)
		if total == 0 {
			return tr.T("tray.status.checking", nil)
		}
		done := 0
		for _, ev := range st.Progress {
			if ev.Kind == diagnostics.EventFinished {
				done++
			}
		}
		return tr.F("tray.status.progress", "done", done, "total", total)
	case st.Report == nil:
		return tr.T("tray.status.unknown", nil)
	}
	v := st.Report.Verdict
	key := "tray.cause." + v.Topic()
	if s := tr.T(key, v.Message.Args); s != key {
		return s
	}
	// A cause newer than this menu: the verdict's own sentence says it.
	return tr.Message(v.Message)
}

// Tooltip is what the icon says when pointed at.
func Tooltip(st agent.State, tr *i18n.Translator) string {
	return tr.F("tray.tooltip", "status", StatusLine(st, tr))
}

// verdictSummary is the verdict's whole sentence, "" while there is none to show.
func verdictSummary(st agent.State, tr *i18n.Translator) string {
	if st.Running || st.Report == nil {
		return ""
	}
	return tr.Message(st.Report.Verdict.Message)
}

// disruptionsItem says how many disruptions are known ("colleagues have the same problem")
// and opens the details window, which lists them with their bulletins.
func disruptionsItem(st agent.State, tr *i18n.Translator) (Item, bool) {
	if st.Disruptions == nil || len(st.Disruptions.Disruptions) == 0 {
		return Item{}, false
	}
	list := st.Disruptions.Disruptions
	label := tr.T("tray.menu.disruption_one", nil)
	if len(list) > 1 {
		label = tr.F("tray.menu.disruptions", "count", len(list))
	}
	var titles []string
	for i, d := range list {
		if i == 3 {
			titles = append(titles, "…")
			break
		}
		titles = append(titles, d.Heading(tr))
	}
	return Item{ID: IDKnown, Label: label, Tooltip: strings.Join(titles, "\n"), Action: ActionWindow, Window: "details"}, true
}

// requestItem opens the request window, which writes the request from the diagnosis and hands
// it to the agent's outbox; the tooltip says where requests go when the profile names it.
func requestItem(p *profile.Profile, tr *i18n.Translator) Item {
	it := Item{ID: IDRequest, Label: tr.T("tray.menu.request", nil), Action: ActionWindow, Window: "request"}
	switch s := p.Support; {
	case webURL(s.PortalURL):
		it.Tooltip = s.PortalURL
	case strings.Contains(s.Email, "@"):
		it.Tooltip = s.Email
	}
	return it
}

// callItem calls user support, or says where the number is when the profile has none.
func callItem(s profile.Support, tr *i18n.Translator) Item {
	tel := selfhelp.TelURI(s.Phone)
	switch {
	case tel == "":
		return Item{ID: IDCall, Label: tr.T("tray.menu.call_intranet", nil), Disabled: true}
	case s.PhoneHours != "":
		return Item{ID: IDCall, Label: tr.F("tray.menu.call_hours", "phone", s.Phone, "hours", s.PhoneHours), Action: ActionURL, URL: tel}
	}
	return Item{ID: IDCall, Label: tr.F("tray.menu.call", "phone", s.Phone), Action: ActionURL, URL: tel}
}

func separator() Item { return Item{ID: idSep, Separator: true} }

// webURL accepts only what a browser should open from the menu.
func webURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// change says how a new menu differs from the one shown.
type change int

const (
	changeNone       change = iota
	changeStatusOnly        // only the status line's words: set them, keep the menu
	changeRebuild           // anything else: rebuild the menu whole
)

// diffMenu decides between leaving the menu, retitling the status line and rebuilding, so that
// a running diagnosis costs one small update per step and nothing else.
func diffMenu(old, cur []Item) change {
	if len(old) != len(cur) || len(cur) == 0 {
		return changeRebuild
	}
	if !slices.Equal(old[1:], cur[1:]) || old[0].ID != cur[0].ID || old[0].Disabled != cur[0].Disabled {
		return changeRebuild
	}
	if old[0] == cur[0] {
		return changeNone
	}
	return changeStatusOnly
}
