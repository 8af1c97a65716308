package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

// requestJSON is what `apuri request --json` prints.
type requestJSON struct {
	DryRun  bool             `json:"dry_run,omitempty"`
	Ref     string           `json:"ref"`
	Channel string           `json:"channel"`
	Target  string           `json:"target,omitempty"`
	Subject string           `json:"subject"`
	Text    string           `json:"text"`
	URL     string           `json:"url,omitempty"`
	Bundle  *support.Bundle  `json:"bundle,omitempty"`
	Entry   *support.Entry   `json:"entry,omitempty"`
	Receipt *support.Receipt `json:"receipt,omitempty"`
	Error   *i18n.Message    `json:"error,omitempty"`
}

func runRequest(env Env, _ program.Options, args []string) int {
	f := newFlags("request")
	summary := f.String("summary", "", "the request's summary (default: from the diagnosis)")
	description := f.String("description", "", "the description (default: the template, filled from the diagnosis)")
	channel := f.String("channel", "", "portal, email, webhook or rt (default: the profile's)")
	category := f.String("category", "", "network, vpn, service, computer or other")
	urgent := f.Bool("urgent", false, "a wide impact on your work")
	email := f.String("email", "", "your e-mail address (remembered)")
	phone := f.String("phone", "", "your phone number (remembered)")
	noAttach := f.Bool("no-attach", false, "send without the diagnostics bundle")
	dryRun := f.Bool("dry-run", false, "show what would be sent, send nothing")
	setToken := f.Bool("set-token", false, "store the channel's token (or user:password) from standard input in the keyring")
	flush := f.Bool("flush", false, "send what waits in the outbox")
	asJSON := f.Bool("json", false, "print JSON")
	if _, ok := f.parse(env, args); !ok {
		return program.ExitUsage
	}
	tr := f.opts.Tr()
	if *channel != "" && !slices.Contains(profile.Channels, *channel) {
		fmt.Fprintln(env.Stderr, tr.F("cli.request.bad_channel", "channel", *channel))
		return program.ExitUsage
	}
	if *category != "" && !slices.Contains(support.Categories, *category) {
		fmt.Fprintln(env.Stderr, tr.F("cli.request.bad_category", "category", *category))
		return program.ExitUsage
	}
	p, ok := loadProfile(env, f.opts)
	if !ok {
		return program.ExitUsage
	}
	if *channel == "" {
		*channel = p.Request.Channel
	}
	store := support.Store{Dir: supportDeps.DataDir}
	if store.Dir == "" {
		store.Dir = support.DefaultDataDir()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	switch {
	case *setToken:
		return setRequestToken(env, f.opts, p, *channel)
	case *flush:
		return flushOutbox(ctx, env, f.opts, store)
	}

	var report *diagnostics.Report
	if !*noAttach || *summary == "" {
		report = diagnoseForSupport(env, f.opts, p)
	}
	d := support.NewDraft(support.DraftOptions{Report: report, Contact: store.LoadContact(),
		Identity: supportDeps.Identity, Lang: tr.Lang(), Now: supportDeps.Now()})
	if *summary != "" {
		d.Summary = *summary
	}
	if *description != "" {
		d.Description = *description
	}
	if *category != "" {
		d.Category = *category
	}
	if *urgent {
		d.Urgency = support.UrgencyUrgent
	}
	if *email != "" {
		d.Contact.Email = *email
	}
	if *phone != "" {
		d.Contact.Phone = *phone
	}
	d.Attach = !*noAttach && report != nil
	var bundle *support.Bundle
	if d.Attach {
		b, err := buildBundle(env, f.opts, p, report)
		if err != nil {
			fmt.Fprintln(env.Stderr, tr.F("cli.request.failed", "error", err.Error()))
			return program.ExitFailed
		}
		bundle = b
	}
	m, err := support.Prepare(support.PrepareOptions{Draft: d, Profile: p, Channel: *channel, Bundle: bundle,
		Identity: supportDeps.Identity, Now: supportDeps.Now()})
	if err != nil {
		var pe *support.ProblemError
		if errors.As(err, &pe) {
			fmt.Fprintln(env.Stderr, tr.Message(pe.Message))
			return program.ExitUsage
		}
		fmt.Fprintln(env.Stderr, tr.F("cli.request.failed", "error", err.Error()))
		return program.ExitFailed
	}
	out := requestJSON{DryRun: *dryRun, Ref: m.Ref, Channel: m.Channel, Target: m.Target, Subject: m.Subject(), Text: m.Text}
	if m.BundleName != "" {
		out.Bundle = bundle
	}
	if m.Channel == profile.ChannelPortal && m.Target != "" {
		out.URL = support.FillPortalURL(m.Target, m.Summary, m.URLText, support.CategoryLabel(m.Lang, m.Category), m.BundleName)
	}
	if *dryRun {
		if *asJSON {
			return printJSON(env, f.opts, out, program.ExitOK)
		}
		printPreview(env, f.opts, out)
		return program.ExitOK
	}

	if err := store.SaveContact(support.Contact{Email: d.Contact.Email, Phone: d.Contact.Phone}); err != nil {
		fmt.Fprintln(env.Stderr, tr.F("cli.request.failed", "error", err.Error()))
	}
	ob := newOutbox(store)
	if _, err := ob.Add(m, p.Support.FeedbackDays); err != nil {
		fmt.Fprintln(env.Stderr, tr.F("cli.request.failed", "error", err.Error()))
		return program.ExitFailed
	}
	entry, receipt, err := ob.Attempt(ctx, m.Ref)
	out.Entry = &entry
	if entry.Done() {
		out.Receipt = &receipt
	}
	out.Error = entry.Error
	code := program.ExitOK
	if err != nil {
		code = program.ExitFailed
	}
	if *asJSON {
		return printJSON(env, f.opts, out, code)
	}
	printOutcome(env, f.opts, entry, receipt)
	return code
}

func newOutbox(store support.Store) *support.Outbox {
	ch := support.Channels{Secrets: supportDeps.Secrets, Client: supportDeps.Client, Open: supportDeps.Open,
		Run: supportDeps.Run, SaveDir: supportDeps.SaveDir}
	return &support.Outbox{Dir: store.Dir, Channel: ch.Get, Now: supportDeps.Now}
}

func printJSON(env Env, opts program.Options, v any, code int) int {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(env.Stderr, opts.Tr().F("cli.write_failed", "error", err.Error()))
		return program.ExitFailed
	}
	return code
}

// printPreview shows exactly what would leave, the bundle's files and what was redacted.
func printPreview(env Env, opts program.Options, r requestJSON) {
	tr := opts.Tr()
	w := env.Stdout
	target := r.Target
	if target == "" {
		target = "-"
	}
	fmt.Fprintln(w, tr.F("cli.request.dry_run", "channel", tr.T("outbox.channel."+r.Channel, nil), "target", target))
	fmt.Fprintln(w)
	fmt.Fprintln(w, r.Subject)
	fmt.Fprintln(w, strings.Repeat("-", min(len([]rune(r.Subject)), 72)))
	fmt.Fprint(w, r.Text)
	if r.URL != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, tr.F("cli.request.portal_url", "url", r.URL))
	}
	if r.Bundle != nil {
		fmt.Fprintln(w)
		fmt.Fprintln(w, tr.F("cli.request.bundle", "file", r.Bundle.Name, "size", r.Bundle.Size()))
		for _, file := range r.Bundle.Files {
			n := 0
			for _, c := range file.Redactions {
				n += c
			}
			fmt.Fprintln(w, tr.F("cli.request.file", "name", file.Name, "size", file.Size, "redactions", n))
		}
		printRedactions(w, r.Bundle.Redactions)
	}
}

// printOutcome says what became of the request.
func printOutcome(env Env, opts program.Options, e support.Entry, r support.Receipt) {
	tr := opts.Tr()
	reason := ""
	if e.Error != nil {
		reason = tr.Message(*e.Error)
	}
	switch e.State {
	case support.StateSent:
		if r.Ticket != "" || r.Link != "" {
			fmt.Fprintln(env.Stdout, tr.F("cli.request.sent", "ticket", r.Ticket, "link", r.Link))
		} else {
			fmt.Fprintln(env.Stdout, tr.T("cli.request.sent_plain", nil))
		}
	case support.StateHandedOver:
		if r.Note != nil {
			fmt.Fprintln(env.Stdout, tr.Message(*r.Note))
		}
		if r.Clipboard != "" {
			// No clipboard here: the text to paste is printed instead.
			fmt.Fprintln(env.Stdout)
			fmt.Fprintln(env.Stdout, tr.T("cli.request.copy", nil))
			fmt.Fprintln(env.Stdout)
			fmt.Fprint(env.Stdout, r.Clipboard)
		}
	case support.StateWaiting:
		fmt.Fprintln(env.Stderr, tr.F("cli.request.waiting", "reason", reason))
	default:
		fmt.Fprintln(env.Stderr, tr.F("cli.request.not_sent", "reason", reason))
	}
}

// setRequestToken stores the channel's secret, read from standard input, in the keyring.
func setRequestToken(env Env, opts program.Options, p *profile.Profile, channel string) int {
	tr := opts.Tr()
	target := ""
	switch channel {
	case profile.ChannelWebhook:
		target = p.Request.Webhook.URL
	case profile.ChannelRT:
		target = p.Request.RT.URL
	default:
		fmt.Fprintln(env.Stderr, tr.F("cli.request.token_channel", "channel", channel))
		return program.ExitUsage
	}
	if target == "" {
		fmt.Fprintln(env.Stderr, tr.F("outbox.error.no_target", "channel", channel, "key", "request."+channel+".url"))
		return program.ExitUsage
	}
	fmt.Fprintln(env.Stderr, tr.F("cli.request.token_prompt", "target", target))
	secret, err := bufio.NewReader(io.LimitReader(supportDeps.Stdin, 64<<10)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintln(env.Stderr, tr.F("cli.request.failed", "error", err.Error()))
		return program.ExitFailed
	}
	secret = strings.TrimRight(secret, "\r\n")
	if strings.TrimSpace(secret) == "" {
		fmt.Fprintln(env.Stderr, tr.T("cli.request.token_empty", nil))
		return program.ExitUsage
	}
	if err := supportDeps.Secrets.Set(support.SecretAccount(channel, target), secret); err != nil {
		if errors.Is(err, support.ErrNoKeyring) {
			fmt.Fprintln(env.Stderr, tr.F("outbox.error.no_keyring", "host", target))
			return program.ExitFailed
		}
		fmt.Fprintln(env.Stderr, tr.F("cli.request.failed", "error", err.Error()))
		return program.ExitFailed
	}
	fmt.Fprintln(env.Stdout, tr.F("cli.request.token_saved", "target", target))
	return program.ExitOK
}

// flushOutbox sends what waits in the outbox, as the agent does when the connection returns.
func flushOutbox(ctx context.Context, env Env, opts program.Options, store support.Store) int {
	ob := newOutbox(store)
	for _, e := range ob.Pending() {
		if e.State == support.StateNeedsCredentials {
			ob.CredentialsChanged(e.Channel) // the user may have just set the token
		}
	}
	before := len(ob.History())
	ob.Flush(ctx, true)
	waiting := ob.Pending()
	fmt.Fprintln(env.Stdout, opts.Tr().F("cli.request.flushed", "sent", len(ob.History())-before, "waiting", len(waiting)))
	for _, e := range waiting {
		reason := opts.Tr().T("outbox.state."+string(e.State), nil)
		if e.Error != nil {
			reason += ": " + opts.Tr().Message(*e.Error)
		}
		fmt.Fprintf(env.Stdout, "  %s  %s  (%s)\n", e.Ref, e.Summary, reason)
	}
	if len(waiting) > 0 {
		return program.ExitFailed
	}
	return program.ExitOK
}
