package selfhelp

import (
	"encoding/json"
	"math"
	"runtime"
	"strings"
	"unicode"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// captiveURLDetails are the network.internet details that may hold the captive portal's login
// page, in order of preference.
var captiveURLDetails = []string{diagnostics.DetailPortalURL, diagnostics.DetailLocation}

// builder reads a report once and builds the ladder's steps from it.
type builder struct {
	r        *diagnostics.Report
	p        *profile.Profile
	o        options
	cause    diagnostics.Cause
	primary  map[string]bool // check IDs the verdict names as its evidence
	suspects []suspect
	// known is the known disruption behind the problem: the verdict's, or one that concerns
	// the service the user named. It answers "is it only me?" at once.
	known *diagnostics.Disruption
}

// suspect is a service whose session (or browser) may be at fault.
type suspect struct {
	svc      profile.Service
	score    int
	why      i18n.Message
	browser  i18n.Message // why another browser may help
	evidence []string
}

func newBuilder(r *diagnostics.Report, p *profile.Profile, opts []Option) *builder {
	b := &builder{r: r, p: p, primary: map[string]bool{}}
	for _, opt := range opts {
		opt(&b.o)
	}
	if b.o.goos == "" {
		b.o.goos = runtime.GOOS
	}
	if b.p == nil {
		b.p = &profile.Profile{}
	}
	if r != nil {
		b.cause = r.Verdict.Cause
		for _, id := range r.Verdict.Evidence {
			b.primary[id] = true
		}
		b.known = r.Verdict.Disruption
		if b.known == nil {
			b.known = r.DisruptionFor(b.o.service, b.p)
		}
	}
	b.suspects = b.findSuspects()
	return b
}

// result returns the result of one check; a nil report has none.
func (b *builder) result(id string) (diagnostics.Result, bool) {
	if b.r == nil {
		return diagnostics.Result{}, false
	}
	return b.r.Result(id)
}

// troubled is a result that warns or fails.
func troubled(r diagnostics.Result) bool {
	return r.Status == diagnostics.StatusWarn || r.Status == diagnostics.StatusFail
}

// answered is a result whose probe got an answer that is not a failure.
func answered(r diagnostics.Result) bool {
	return r.Status == diagnostics.StatusOK || r.Status == diagnostics.StatusWarn
}

// causeFrom says whether the verdict names this check as the evidence for one of the causes.
func (b *builder) causeFrom(id string, causes ...diagnostics.Cause) bool {
	if !b.primary[id] {
		return false
	}
	for _, c := range causes {
		if b.cause == c {
			return true
		}
	}
	return false
}

// number reads a number from a result's message arguments or details. Reports that crossed the
// local API as JSON hold float64, in-process ones int or uint64.
func number(r diagnostics.Result, argKey, detailKey string) (float64, bool) {
	if v, ok := toFloat(r.Message.Args[argKey]); ok && argKey != "" {
		return v, true
	}
	if detailKey == "" {
		return 0, false
	}
	return toFloat(r.Details[detailKey])
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case uint32:
		return float64(n), true
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func rounded(f float64) int { return int(math.Round(f)) }

// httpStatus is the HTTP status a service check got, or 0.
func httpStatus(r diagnostics.Result) int {
	v, _ := toFloat(r.Details[diagnostics.DetailStatus])
	return int(v)
}

// service finds a profile service by name; one the profile does not know has only its name.
func (b *builder) service(name string) profile.Service {
	for _, s := range b.p.Services {
		if s.Name == name {
			return s
		}
	}
	return profile.Service{Name: name}
}

// serviceResults are the service checks of the report, in its order.
func (b *builder) serviceResults() []diagnostics.Result {
	if b.r == nil {
		return nil
	}
	var out []diagnostics.Result
	for _, c := range b.r.Checks {
		if strings.HasPrefix(c.ID, diagnostics.ServicePrefix) {
			out = append(out, c)
		}
	}
	return out
}

// maxSuspects bounds the per-service steps, so a broad outage does not flood the window.
const maxSuspects = 3

// scoreFocus: the user names a service that answers from here.
const scoreFocus = 70

// findSuspects lists the services whose session may be stuck: those that answer "sign in
// again" (401/403), and the one the user names when it answers from here.
func (b *builder) findSuspects() []suspect {
	var out []suspect
	seen := map[string]bool{}
	for _, r := range b.serviceResults() {
		name := strings.TrimPrefix(r.ID, diagnostics.ServicePrefix)
		code := httpStatus(r)
		if !answered(r) || (code != 401 && code != 403) {
			continue
		}
		seen[name] = true
		svc := b.service(name)
		out = append(out, suspect{
			svc:      svc,
			score:    scoreStrong,
			why:      i18n.Msg("selfhelp.why.session_stuck", "service", svc.Titles(), "status", code),
			browser:  i18n.Msg("selfhelp.why.browser_session", "service", svc.Titles()),
			evidence: []string{r.ID},
		})
	}
	if name := b.o.service; name != "" && !seen[name] {
		id := diagnostics.ServicePrefix + name
		r, ok := b.result(id)
		if !ok || answered(r) {
			svc := b.service(name)
			s := suspect{
				svc:     svc,
				score:   scoreFocus,
				why:     i18n.Msg("selfhelp.why.session_maybe", "service", svc.Titles()),
				browser: i18n.Msg("selfhelp.why.browser_service_ok", "service", svc.Titles()),
			}
			if ok {
				s.evidence = []string{id}
			} else {
				// Nothing measured: the user's word is the only evidence.
				s.score = scoreHelps
				s.why = i18n.Msg("selfhelp.why.session_unchecked", "service", svc.Titles())
				s.browser = i18n.Msg("selfhelp.why.browser_default")
			}
			// The service the user names comes first.
			out = append([]suspect{s}, out...)
		}
	}
	if len(out) > maxSuspects {
		out = out[:maxSuspects]
	}
	return out
}

// serviceFault is the first failing service when the verdict blames a service: self-help can
// do little about a server that fails for everyone.
func (b *builder) serviceFault() (diagnostics.Result, bool) {
	if b.cause != diagnostics.CauseServiceDown {
		return diagnostics.Result{}, false
	}
	for _, r := range b.serviceResults() {
		if r.Status == diagnostics.StatusFail && b.primary[r.ID] && r.Reason != diagnostics.ReasonBadURL {
			return r, true
		}
	}
	return diagnostics.Result{}, false
}

// sharedFault says whether the evidence shows a fault that other people have too, which only
// support can fix: then contacting support is part of the advice.
func (b *builder) sharedFault() bool {
	switch b.cause {
	case diagnostics.CauseInternetUnreach, diagnostics.CauseVPNBroken, diagnostics.CausePathMTU, diagnostics.CauseVPNMTU, diagnostics.CauseProxyFailure:
		return true
	}
	_, ok := b.serviceFault()
	return ok
}

// captiveURL is the page that makes the captive portal show its login: the login page the
// internet check saw, or the plain-http probe address, which the portal intercepts.
func (b *builder) captiveURL() string {
	if r, ok := b.result(diagnostics.IDInternet); ok {
		for _, k := range captiveURLDetails {
			if s, _ := r.Details[k].(string); s != "" && webURL(s) {
				return s
			}
		}
	}
	if u := b.p.Network.InternetURL; strings.HasPrefix(strings.ToLower(u), "http://") && webURL(u) {
		return u
	}
	return ""
}

// webURL says whether s is an http(s) address a button may open.
func webURL(s string) bool {
	u, err := CheckURL(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https")
}

// link finds a profile link with word among the words of its name, ignoring case:
// "TOP-palveluportaali" is TOP, "Desktop help" is not.
func (b *builder) link(word string) (profile.Link, bool) {
	for _, l := range b.p.Links {
		words := strings.FieldsFunc(l.Name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		for _, w := range words {
			if strings.EqualFold(w, word) && webURL(l.URL) {
				return l, true
			}
		}
	}
	return profile.Link{}, false
}

// canRequest says whether a support request can go anywhere with this profile.
func (b *builder) canRequest() bool {
	s := b.p.Support
	if s.PortalURL != "" || s.NewRequestURL != "" || s.Email != "" {
		return true
	}
	switch b.p.Request.Channel {
	case "webhook":
		return b.p.Request.Webhook.URL != ""
	case "rt":
		return b.p.Request.RT.URL != ""
	}
	return false
}

// TelURI turns a phone number as people write it ("0295 000 000", "+358 29 500 0000") into a
// tel: URI; "" when it has too few digits to be one.
func TelURI(phone string) string {
	var b strings.Builder
	digits := 0
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '/':
		default:
			return ""
		}
	}
	if digits < 3 || digits > 20 {
		return ""
	}
	return "tel:" + b.String()
}

// remediesWork says whether restart and log out have an implementation on this system.
func remediesWork(goos string) bool {
	switch goos {
	case "linux", "windows", "darwin":
		return true
	}
	return false
}

// otherBrowsers are the installed browsers other than the default one. Without a known default,
// two or more browsers are needed for one of them to be "another".
func otherBrowsers(bs []Browser) []Browser {
	hasDefault := false
	var out []Browser
	for _, br := range bs {
		if br.Default {
			hasDefault = true
			continue
		}
		out = append(out, br)
	}
	if !hasDefault && len(out) < 2 {
		return nil
	}
	return out
}
