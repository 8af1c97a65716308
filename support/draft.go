package support

import (
	"fmt"
	"strings"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

// Urgency is how much the problem hurts the user's work, in the support guide's two steps.
type Urgency string

// The urgencies. Urgent means a wide impact on the user's work: the guide says to phone user
// support then; the user need not judge how wide or critical the disruption is.
const (
	UrgencyNormal Urgency = "normal"
	UrgencyUrgent Urgency = "urgent"
)

// Request categories, as support sorts requests.
const (
	CategoryNetwork  = "network"
	CategoryVPN      = "vpn"
	CategoryService  = "service"
	CategoryComputer = "computer"
	CategoryOther    = "other"
)

// Categories lists the categories in the order a form shows them.
var Categories = []string{CategoryNetwork, CategoryVPN, CategoryService, CategoryComputer, CategoryOther}

// categoryOf sorts each verdict cause into the category support would file it under.
var categoryOf = map[diagnostics.Cause]string{
	diagnostics.CauseNoLink: CategoryNetwork, diagnostics.CauseNoAddress: CategoryNetwork,
	diagnostics.CauseNoRoute: CategoryNetwork, diagnostics.CauseGatewayUnreachable: CategoryNetwork,
	diagnostics.CauseDNSFailure: CategoryNetwork, diagnostics.CauseCaptivePortal: CategoryNetwork,
	diagnostics.CauseProxyFailure:    CategoryNetwork,
	diagnostics.CauseInternetUnreach: CategoryNetwork, diagnostics.CauseDegraded: CategoryNetwork,
	diagnostics.CauseVPNDown: CategoryVPN, diagnostics.CauseVPNBroken: CategoryVPN,
	diagnostics.CauseVPNMTU: CategoryVPN, diagnostics.CausePathMTU: CategoryNetwork,
	diagnostics.CauseServiceDown:    CategoryService,
	diagnostics.CauseCustomCheck:    CategoryService, // or the computer: customCategory
	diagnostics.CauseLocalResources: CategoryComputer, diagnostics.CauseClockSkew: CategoryComputer,
	diagnostics.CauseAccount: CategoryOther,
	diagnostics.CauseHealthy: CategoryOther,
}

// Contact is how support reaches the user back.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// String is the contact on one line: "Matti Meikäläinen, matti@example.org, 040 123 4567".
func (c Contact) String() string {
	var parts []string
	for _, p := range []string{c.Name, c.Email, c.Phone} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// Draft is a support request the user is still writing. It is kept on disk until it is sent
// or discarded, so closing the window loses nothing.
type Draft struct {
	Summary     string  `json:"summary"`
	Description string  `json:"description"`
	Category    string  `json:"category"`
	Urgency     Urgency `json:"urgency"`
	Contact     Contact `json:"contact"`
	// Attach adds the diagnostics bundle.
	Attach bool `json:"attach"`
	// Cause is the verdict the draft was written from.
	Cause diagnostics.Cause `json:"cause,omitempty"`
	// Lang is the language the draft's texts were written in.
	Lang    string    `json:"lang"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated,omitzero"`
}

// DraftOptions are what a new draft is written from.
type DraftOptions struct {
	// Report is the latest diagnosis; nil when there is none yet.
	Report *diagnostics.Report
	// Tried are the self-help steps the user already tried, in the user's language.
	Tried []string
	// Since is when the problem began, when known (the connectivity timeline knows).
	Since time.Time
	// Contact is the remembered contact; an empty name gets the OS account's.
	Contact Contact
	// Identity gives the name from the OS account; default OSIdentity().
	Identity *Identity
	Lang     string
	Now      time.Time
}

// NewDraft writes a draft from the diagnosis: the summary from the verdict, a description
// to complete (what happened, since when, what was already tried), a category and contact.
func NewDraft(o DraftOptions) Draft {
	tr := i18n.New(o.Lang)
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	cause := diagnostics.CauseHealthy
	var verdict string
	if o.Report != nil {
		r := *o.Report
		r.Checks = append([]diagnostics.Result(nil), o.Report.Checks...)
		r.Localize(tr)
		cause = r.Verdict.Cause
		verdict = r.Verdict.Summary
	}
	contact := o.Contact
	if strings.TrimSpace(contact.Name) == "" {
		id := o.Identity
		if id == nil {
			osid := OSIdentity()
			id = &osid
		}
		contact.Name = id.DisplayName()
	}
	category, ok := categoryOf[cause]
	if !ok {
		category = CategoryOther
	}
	if cause == diagnostics.CauseCustomCheck {
		category = customCategory(o.Report)
	}
	d := Draft{
		Summary:  summaryFor(tr, o.Report, cause),
		Category: category,
		Urgency:  UrgencyNormal,
		Contact:  contact,
		Attach:   o.Report != nil,
		Cause:    cause,
		Lang:     tr.Lang(),
		Created:  o.Now,
	}
	var b strings.Builder
	b.WriteString(tr.T("draft.template.what", nil) + "\n")
	if verdict != "" && cause != diagnostics.CauseHealthy {
		b.WriteString(verdict + "\n")
		// Support can tie the request to the disruption they already work on.
		if k := o.Report.Verdict.Disruption; k != nil {
			b.WriteString(strings.TrimSpace(tr.T("report.known_disruption", map[string]any{"title": k.Heading(tr)})+" "+k.URL) + "\n")
		}
		if line := mtuLine(tr, o.Report.Verdict); line != "" {
			b.WriteString(line + "\n")
		}
	} else {
		b.WriteString(tr.T("draft.template.fill_in", nil) + "\n")
	}
	b.WriteString("\n" + tr.T("draft.template.since", nil) + "\n")
	if !o.Since.IsZero() {
		b.WriteString(i18n.FormatDateTime(tr.Lang(), o.Since.Local()) + "\n")
	} else {
		b.WriteString(tr.T("draft.template.fill_in", nil) + "\n")
	}
	b.WriteString("\n" + tr.T("draft.template.tried", nil) + "\n")
	if len(o.Tried) == 0 {
		b.WriteString(tr.T("draft.template.tried_none", nil) + "\n")
	}
	for _, t := range o.Tried {
		b.WriteString("- " + t + "\n")
	}
	d.Description = b.String()
	return d
}

// mtuLine tells support, in their terms, what a path that drops large packets means and the
// largest packet that passed; "" for any other verdict.
func mtuLine(tr *i18n.Translator, v diagnostics.Verdict) string {
	if v.Cause != diagnostics.CausePathMTU && v.Cause != diagnostics.CauseVPNMTU {
		return ""
	}
	args := map[string]any{"service": v.Message.Args["service"], "bytes": v.Message.Args["bytes"]}
	return tr.T("draft.template."+string(v.Cause), args)
}

// summaryFor is a short subject line for the verdict's cause.
func summaryFor(tr *i18n.Translator, r *diagnostics.Report, cause diagnostics.Cause) string {
	// The verdict names the service by its title, text per language (i18n.Localized).
	var service any
	if r != nil {
		service = r.Verdict.Message.Args["service"]
	}
	if cause == diagnostics.CauseServiceDown && (service == nil || service == "") {
		cause = diagnostics.CauseHealthy
	}
	if r != nil && r.Verdict.Cause == cause && r.Verdict.AboutCertificate() && service != nil && service != "" {
		return tr.F("draft.summary."+diagnostics.TopicCertificate, "service", service)
	}
	var title any
	if r != nil {
		title = r.Verdict.Message.Args["title"]
	}
	return tr.F("draft.summary."+string(cause), "service", service, "title", title)
}

// customCategory files a failed custom check under the computer when it looked at the computer
// itself (a file, the registry), and under the services otherwise: a page, a port, a name and a
// command ask something of the organisation's.
func customCategory(r *diagnostics.Report) string {
	if r != nil && len(r.Verdict.Evidence) > 0 {
		if res, ok := r.Result(r.Verdict.Evidence[0]); ok {
			switch res.Details[diagnostics.DetailKind] {
			case profile.CheckFile, profile.CheckRegistry:
				return CategoryComputer
			}
		}
	}
	return CategoryService
}

// Validate says what keeps a draft from being sent, as a message key; ok when nothing does.
func (d Draft) Validate() (i18n.Message, bool) {
	switch {
	case strings.TrimSpace(d.Summary) == "":
		return i18n.Msg("draft.error.no_summary"), false
	case len(d.Summary) > maxSummary:
		return i18n.Msg("draft.error.summary_long", "max", maxSummary), false
	case len(d.Description) > maxDescription:
		return i18n.Msg("draft.error.description_long", "max", maxDescription), false
	case d.Urgency != UrgencyNormal && d.Urgency != UrgencyUrgent:
		return i18n.Msg("draft.error.urgency", "urgency", string(d.Urgency)), false
	}
	return i18n.Message{}, true
}

// Bounds on what a request may carry; a ticket system refuses more anyway.
const (
	maxSummary     = 250
	maxDescription = 20000
)

// UrgencyRule is the support guide's rule for the urgency chosen, with the profile's phone
// number and hours: not urgent, the request; a wide impact on one's work, the phone.
func UrgencyRule(p *profile.Profile, u Urgency) i18n.Message {
	if u != UrgencyUrgent {
		return i18n.Msg("draft.rule.normal")
	}
	if p == nil || p.Support.Phone == "" {
		return i18n.Msg("draft.rule.urgent_intranet")
	}
	if p.Support.PhoneHours == "" {
		return i18n.Msg("draft.rule.urgent_phone", "phone", p.Support.Phone)
	}
	return i18n.Msg("draft.rule.urgent_phone_hours", "phone", p.Support.Phone, "hours", p.Support.PhoneHours)
}

// TextOptions complete a draft into the text that leaves the machine.
type TextOptions struct {
	Ref        string // the request's reference (its idempotency key)
	BundleName string // "" when no bundle is attached
	Version    string // default program.Version, this build's
}

// Text is the request as support reads it: the summary, the description, then category,
// urgency, contact, the attachment and the reference. It is what the preview shows.
func (d Draft) Text(o TextOptions) string {
	tr := i18n.New(d.Lang)
	version := o.Version
	if version == "" {
		version = program.Version
	}
	var b strings.Builder
	b.WriteString(strings.TrimSpace(d.Summary) + "\n\n")
	if desc := strings.TrimSpace(d.Description); desc != "" {
		b.WriteString(desc + "\n\n")
	}
	b.WriteString("--\n")
	fmt.Fprintln(&b, tr.F("draft.text.category", "category", tr.T("draft.category."+d.categoryOrOther(), nil)))
	fmt.Fprintln(&b, tr.F("draft.text.urgency", "urgency", tr.T("draft.urgency."+string(d.urgencyOrNormal()), nil)))
	if c := d.Contact.String(); c != "" {
		fmt.Fprintln(&b, tr.F("draft.text.contact", "contact", c))
	}
	if o.BundleName != "" {
		fmt.Fprintln(&b, tr.F("draft.text.attachment", "file", o.BundleName))
	} else {
		fmt.Fprintln(&b, tr.T("draft.text.no_attachment", nil))
	}
	if o.Ref != "" {
		fmt.Fprintln(&b, tr.F("draft.text.reference", "ref", RefTag(o.Ref)))
	}
	fmt.Fprintln(&b, tr.F("draft.text.sent_with", "version", version))
	return b.String()
}

func (d Draft) categoryOrOther() string {
	for _, c := range Categories {
		if c == d.Category {
			return c
		}
	}
	return CategoryOther
}

func (d Draft) urgencyOrNormal() Urgency {
	if d.Urgency == UrgencyUrgent {
		return UrgencyUrgent
	}
	return UrgencyNormal
}

// CategoryLabel is a category's name in lang.
func CategoryLabel(lang, category string) string {
	return i18n.New(lang).T("draft.category."+Draft{Category: category}.categoryOrOther(), nil)
}

// RefTag is how a reference appears to people and in ticket subjects: "apuri:7f3a9c2e1b4d5a6f".
// Searching a ticket system for it finds a request that was delivered before a crash.
func RefTag(ref string) string { return "apuri:" + ref }
