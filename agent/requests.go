package agent

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
)

// Support requests in the agent (docs/architecture.md). The outbox belongs to the agent, so a
// request keeps going to support with no window open: it is stored before the first attempt,
// retried with back-off while it waits, and sent at once when the watcher sees the connection
// return (OnRestored). The request window only edits the draft, previews what will leave and
// hands the request over, through the endpoints below.

// RequestsConfig configures support requests. Zero fields get real defaults.
type RequestsConfig struct {
	// Dir holds the draft, the remembered contact details, the outbox and the history;
	// default support.DefaultDataDir(). With none, requests are unavailable.
	Dir string
	// Secrets is the keyring of the channels' tokens; default support.Keyring{}.
	Secrets support.Secrets
	// Client sends webhook and RT requests; default a client with a 60 s timeout.
	Client *http.Client
	// Open opens the portal form, mail drafts and folders; default support.OpenDefault.
	Open support.Opener
	// Run runs xdg-email; default support.RunCommand.
	Run support.CommandRunner
	// SaveDir is where bundles and e-mail drafts are saved for the user to attach; default
	// support.DefaultSaveDir().
	SaveDir string
	// Identity is what redaction removes and where the contact name comes from; default
	// support.OSIdentity().
	Identity *support.Identity
	// Logs returns the program's recent log lines for the bundle; nil: only the checks' own.
	Logs func() ([]byte, error)
	// Backoff is the outbox's wait after n failed attempts; default support.DefaultBackoff.
	Backoff func(attempts int) time.Duration
}

// The request endpoints of the local API.
const (
	// GET: DraftInfo (the saved draft, else a fresh one from the latest diagnosis, unsaved);
	// POST NewDraft → DraftInfo (a fresh draft, saved, replacing any other);
	// PUT support.Draft → DraftInfo (saved: drafts survive closing the window);
	// DELETE → {} (discarded).
	PathRequestDraft = "/v1/request/draft"
	// POST PreviewRequest → Preview: exactly what will leave, the bundle's files and redactions.
	PathRequestPreview = "/v1/request/preview"
	// POST SubmitRequest → SubmitResult: stored in the outbox, then the first attempt.
	PathRequestSubmit = "/v1/request/submit"
	// GET → OutboxList: what waits, and the history.
	PathRequestOutbox = "/v1/request/outbox"
	// POST RequestRef → SubmitResult: the user's "try again".
	PathRequestRetry = "/v1/request/retry"
	// POST RequestRef → {}: the user's "do not send".
	PathRequestDiscard = "/v1/request/discard"
	// GET ?channel=C → SecretStatus; PUT SecretRequest → SecretStatus (stored in the keyring;
	// requests that waited for credentials are sent).
	PathRequestSecret = "/v1/request/secret"
)

// DraftInfo is the draft with what the window shows around it.
type DraftInfo struct {
	Draft support.Draft `json:"draft"`
	// Saved says whether the draft is on disk (false: fresh from the diagnosis, not yet edited).
	Saved bool `json:"saved"`
	// Rule is the support guide's rule for the chosen urgency: the request, or the phone with
	// its number and hours.
	Rule diagnostics.Message `json:"rule"`
	// Categories are the categories to choose from (labels: "draft.category."+c).
	Categories []string `json:"categories"`
	// Channel is where the request will go (label: "outbox.channel."+Channel).
	Channel    string `json:"channel"`
	PortalName string `json:"portal_name,omitempty"`
	Phone      string `json:"phone,omitempty"`
	PhoneHours string `json:"phone_hours,omitempty"`
	// FeedbackDays is how long a solution can be rejected (the guide's rule).
	FeedbackDays int `json:"feedback_days"`
	// Known is the known disruption that explains the latest diagnosis: support has it already,
	// so the window says so before the user writes what the bulletin says.
	Known *diagnostics.Disruption `json:"known_disruption,omitempty"`
}

// NewDraft is the body of POST /v1/request/draft.
type NewDraft struct {
	// Tried are the self-help steps the user already tried, in the user's language.
	Tried []string `json:"tried,omitempty"`
}

// PreviewRequest is the body of POST /v1/request/preview.
type PreviewRequest struct {
	Draft support.Draft `json:"draft"`
	// Channel overrides the profile's channel (the command line's --channel); usually empty.
	Channel string `json:"channel,omitempty"`
}

// Preview is exactly what will leave the machine when the user clicks send.
type Preview struct {
	// ID names this preview: submitting with it sends this very bundle and reference.
	ID      string `json:"id"`
	Ref     string `json:"ref"`
	Channel string `json:"channel"`
	// Target is where it goes: the host of a webhook or RT, the e-mail address, the portal.
	Target  string `json:"target,omitempty"`
	Subject string `json:"subject"`
	// Text is the whole request text.
	Text string `json:"text"`
	// PortalURL is the form address the portal channel opens (no personal data in it).
	PortalURL string `json:"portal_url,omitempty"`
	// Bundle is the attachment with each file's exact text and redaction counts; nil when
	// the draft attaches none.
	Bundle     *support.Bundle `json:"bundle,omitempty"`
	BundleSize int             `json:"bundle_size,omitempty"`
	// Rule is the urgency rule, as in DraftInfo.
	Rule diagnostics.Message `json:"rule"`
	// Secret is the channel's credential status: whether sending can work.
	Secret *SecretStatus `json:"secret,omitempty"`
}

// SubmitRequest is the body of POST /v1/request/submit.
type SubmitRequest struct {
	Draft support.Draft `json:"draft"`
	// PreviewID sends the previewed bundle and reference; empty: built now.
	PreviewID string `json:"preview_id,omitempty"`
	Channel   string `json:"channel,omitempty"`
}

// SubmitResult is the request's state after its first attempt (or the user's retry).
type SubmitResult struct {
	Entry support.Entry `json:"entry"`
	// Receipt says what happened: the ticket and link, or what was opened and saved. Its
	// Clipboard is text the window must put on the clipboard (the portal channel).
	Receipt *support.Receipt `json:"receipt,omitempty"`
	// Pending is true while the first attempt still runs; the entry's state then follows
	// in the agent's state (State.Requests) and GET /v1/request/outbox.
	Pending bool `json:"pending,omitempty"`
}

// OutboxList is the body of GET /v1/request/outbox.
type OutboxList struct {
	Pending []support.Entry `json:"pending"`
	History []support.Entry `json:"history"`
}

// RequestRef names one request of the outbox.
type RequestRef struct {
	Ref string `json:"ref"`
}

// SecretRequest is the body of PUT /v1/request/secret.
type SecretRequest struct {
	Channel string `json:"channel"`
	Secret  string `json:"secret"`
}

// SecretStatus says whether a channel can authenticate. The secret itself never leaves the
// keyring through the API.
type SecretStatus struct {
	Channel string `json:"channel"`
	// Needed is false for channels that need no secret (portal, e-mail).
	Needed bool `json:"needed"`
	Stored bool `json:"stored"`
	// Problem explains why not: no keyring on this system, or the profile names no address.
	Problem *diagnostics.Message `json:"problem,omitempty"`
}

// RequestsState is what the agent's state says of requests: those not yet delivered.
type RequestsState struct {
	Pending []support.Entry `json:"pending,omitempty"`
}

// firstAttemptWait bounds how long a submit waits for the first attempt before answering
// with the request's pending state; the attempt goes on.
const firstAttemptWait = 20 * time.Second

// previewLife and maxPreviews bound the previews the agent keeps for submits.
const (
	previewLife = time.Hour
	maxPreviews = 8
)

// requests is the agent's support-request machinery.
type requests struct {
	a        *Agent
	cfg      RequestsConfig
	store    support.Store
	outbox   *support.Outbox
	channels support.Channels

	mu       sync.Mutex
	previews map[string]*preview
	// submitted maps the previews already submitted to their requests, so that a second click
	// on send returns the first request instead of filing another.
	submitted map[string]string
	running   sync.WaitGroup // flushes and attempts in flight; Close waits for them
	timer     *time.Timer
	flushing  bool
	again     bool // a flush was asked for while one ran
	force     bool // ... and it was because the connection returned
	closed    bool
	pending   []support.Entry // guarded by Agent.mu: read by stateLocked
}

type preview struct {
	ref     string
	bundle  *support.Bundle
	expires time.Time
}

// newRequests sets up requests for a and resumes the outbox: requests a previous run left
// (one killed mid-send included) are sent now. Nothing runs when the outbox is empty.
func newRequests(a *Agent) *requests {
	cfg := a.cfg.Requests
	if cfg.Dir == "" {
		cfg.Dir = support.DefaultDataDir()
	}
	if cfg.Secrets == nil {
		cfg.Secrets = support.Keyring{}
	}
	if cfg.Identity == nil {
		id := support.OSIdentity()
		cfg.Identity = &id
	}
	r := &requests{a: a, cfg: cfg, store: support.Store{Dir: cfg.Dir}, previews: map[string]*preview{},
		submitted: map[string]string{}}
	r.channels = support.Channels{Secrets: cfg.Secrets, Client: cfg.Client, Open: cfg.Open, Run: cfg.Run, SaveDir: cfg.SaveDir}
	if cfg.Dir == "" {
		return r
	}
	r.outbox = &support.Outbox{Dir: cfg.Dir, Channel: r.channels.Get, Now: a.cfg.Now, Backoff: cfg.Backoff,
		OnChange: r.changed}
	r.pending = r.outbox.Pending()
	a.OnRestored(func() { r.kick(true) })
	if len(r.pending) > 0 {
		r.kick(false)
	}
	return r
}

func (r *requests) available() error {
	if r == nil || r.outbox == nil {
		return newProblem(KeyUnavailable)
	}
	return nil
}

// changed refreshes the pending list the state carries and tells the subscribers.
func (r *requests) changed() {
	pending := r.outbox.Pending()
	r.a.mu.Lock()
	defer r.a.mu.Unlock()
	r.pending = pending
	if !r.a.closed {
		r.a.publishStateLocked()
	}
}

// stateLocked is the requests part of the agent's state; the caller holds Agent.mu.
func (r *requests) stateLocked() RequestsState {
	if r == nil {
		return RequestsState{}
	}
	return RequestsState{Pending: append([]support.Entry(nil), r.pending...)}
}

// kick flushes the outbox in the background: force sends every waiting request now (the
// connection returned). Flushes never overlap; one asked for meanwhile runs after.
func (r *requests) kick(force bool) {
	if r == nil || r.outbox == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	if r.flushing {
		r.again, r.force = true, r.force || force
		return
	}
	r.flushing = true
	r.running.Add(1)
	go func() {
		defer r.running.Done()
		r.flushLoop(force)
	}()
}

func (r *requests) flushLoop(force bool) {
	for {
		next := r.outbox.Flush(r.a.ctx, force)
		r.mu.Lock()
		if r.timer != nil {
			r.timer.Stop()
			r.timer = nil
		}
		if r.closed || r.a.ctx.Err() != nil {
			r.flushing = false
			r.mu.Unlock()
			return
		}
		if r.again {
			force, r.again, r.force = r.force, false, false
			r.mu.Unlock()
			continue
		}
		// One timer, and only while a request waits: an idle agent has none.
		if !next.IsZero() {
			r.timer = time.AfterFunc(max(next.Sub(r.a.cfg.Now()), time.Second), func() { r.kick(false) })
		}
		r.flushing = false
		r.mu.Unlock()
		return
	}
}

// FlushOutbox sends what waits in the outbox now, in the background: the watcher's
// OnRestored does this by itself; the tray may offer it too.
func (a *Agent) FlushOutbox() { a.requests.kick(true) }

// close stops the back-off timer and waits for the flush or attempt in flight, which the
// agent's closed context cuts short: a request cut short stays in the outbox for next time.
func (r *requests) close() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	r.mu.Unlock()
	r.running.Wait()
}

// draftInfo wraps a draft with what the window shows around it.
func (r *requests) draftInfo(d support.Draft, saved bool) DraftInfo {
	p := r.a.Profile().Profile
	info := DraftInfo{
		Draft: d, Saved: saved, Rule: support.UrgencyRule(p, d.Urgency),
		Categories: append([]string(nil), support.Categories...), Channel: p.Request.Channel,
		PortalName: p.Support.PortalName, Phone: p.Support.Phone, PhoneHours: p.Support.PhoneHours,
		FeedbackDays: p.Support.FeedbackDays,
	}
	if rep := r.a.Report(); rep != nil {
		info.Known = rep.Verdict.Disruption
	}
	return info
}

// RequestDraft returns the saved draft, else a fresh one written from the latest diagnosis
// (not saved until the user edits it).
func (a *Agent) RequestDraft() (DraftInfo, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return DraftInfo{}, err
	}
	if d, ok := r.store.LoadDraft(); ok {
		return r.draftInfo(d, true), nil
	}
	return r.draftInfo(r.freshDraft(nil), false), nil
}

// NewRequestDraft writes a fresh draft from the latest diagnosis and saves it, replacing any
// other.
func (a *Agent) NewRequestDraft(opts NewDraft) (DraftInfo, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return DraftInfo{}, err
	}
	d := r.freshDraft(opts.Tried)
	if err := r.store.SaveDraft(d); err != nil {
		return DraftInfo{}, newProblem(KeyRequestStore, "error", err.Error())
	}
	return r.draftInfo(d, true), nil
}

func (r *requests) freshDraft(tried []string) support.Draft {
	st := r.a.State()
	var since time.Time
	if st.Watch.State == diagnostics.ConnLost || st.Watch.State == diagnostics.ConnDegraded {
		since = st.Watch.Since
	}
	return support.NewDraft(support.DraftOptions{
		Report: st.Report, Tried: tried, Since: since, Contact: r.store.LoadContact(),
		Identity: r.cfg.Identity, Lang: st.Lang, Now: r.a.cfg.Now(),
	})
}

// SaveRequestDraft keeps the user's draft, so that closing the window loses nothing.
func (a *Agent) SaveRequestDraft(d support.Draft) (DraftInfo, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return DraftInfo{}, err
	}
	if d.Created.IsZero() {
		d.Created = a.cfg.Now()
	}
	if d.Lang == "" {
		d.Lang = a.Lang()
	}
	d.Updated = a.cfg.Now()
	if err := r.store.SaveDraft(d); err != nil {
		return DraftInfo{}, newProblem(KeyRequestStore, "error", err.Error())
	}
	return r.draftInfo(d, true), nil
}

// DiscardRequestDraft throws the saved draft away.
func (a *Agent) DiscardRequestDraft() error {
	r := a.requests
	if err := r.available(); err != nil {
		return err
	}
	if err := r.store.DeleteDraft(); err != nil {
		return newProblem(KeyRequestStore, "error", err.Error())
	}
	return nil
}

// bundle builds the diagnostics bundle of the latest report; nil when there is no report.
func (r *requests) bundle() (*support.Bundle, error) {
	st := r.a.State()
	if st.Report == nil {
		return nil, nil
	}
	loaded := r.a.Profile()
	source := loaded.Source.Kind
	if loaded.Source.Path != "" {
		source += " " + loaded.Source.Path
	}
	return support.BuildBundle(support.BundleInput{
		Report: st.Report, Profile: loaded.Profile, ProfileSource: source, Lang: st.Lang,
		Timeline: r.timelineJSON, Logs: r.cfg.Logs, Identity: r.cfg.Identity, Now: r.a.cfg.Now,
	})
}

// bundleSamples bounds the probe samples in a bundle: the last two hours at the default
// interval. Incidents of the last day all go in.
const bundleSamples = 240

// timelineJSON is the recent connectivity timeline for the bundle, or nothing when the
// watcher keeps none.
func (r *requests) timelineJSON() ([]byte, error) {
	return BundleTimeline(r.a.timelineStore(), r.a.cfg.Now())
}

// BundleTimeline is the connectivity timeline a support bundle carries: the last day's
// incidents and the last two hours of samples, as JSON; nil when there is none.
func BundleTimeline(store *timeline.Store, now time.Time) ([]byte, error) {
	if store == nil {
		return nil, nil
	}
	t, err := store.Query(now.Add(-24*time.Hour), now)
	if err != nil {
		return nil, err
	}
	if len(t.Incidents) == 0 && len(t.Samples) == 0 {
		return nil, nil
	}
	if n := len(t.Samples); n > bundleSamples {
		t.Samples = append([]timeline.Sample(nil), t.Samples[n-bundleSamples:]...)
	}
	return json.Marshal(t)
}

// prepare builds what will leave for a draft: the bundle (the preview's, when given and
// still kept) and the Outgoing request.
func (r *requests) prepare(d support.Draft, channel, previewID string) (*support.Outgoing, *support.Bundle, error) {
	if err := r.available(); err != nil {
		return nil, nil, err
	}
	if msg, ok := d.Validate(); !ok {
		return nil, nil, messageProblem(msg)
	}
	ref := ""
	var b *support.Bundle
	if previewID != "" {
		r.mu.Lock()
		if p, ok := r.previews[previewID]; ok && r.a.cfg.Now().Before(p.expires) {
			ref, b = p.ref, p.bundle
		}
		r.mu.Unlock()
	}
	if b == nil && d.Attach {
		var err error
		if b, err = r.bundle(); err != nil {
			return nil, nil, newProblem(KeyRequestBundle, "error", err.Error())
		}
	}
	if d.Lang == "" {
		d.Lang = r.a.Lang()
	}
	m, err := support.Prepare(support.PrepareOptions{Draft: d, Profile: r.a.Profile().Profile, Channel: channel,
		Bundle: b, Ref: ref, Identity: r.cfg.Identity, Now: r.a.cfg.Now()})
	if err != nil {
		var pe *support.ProblemError
		if errors.As(err, &pe) {
			return nil, nil, messageProblem(pe.Message)
		}
		return nil, nil, newProblem(KeyRequestBundle, "error", err.Error())
	}
	return m, b, nil
}

// PreviewRequest builds exactly what will leave for the draft, and keeps it for the submit.
func (a *Agent) PreviewRequest(req PreviewRequest) (Preview, error) {
	r := a.requests
	m, b, err := r.prepare(req.Draft, req.Channel, "")
	if err != nil {
		return Preview{}, err
	}
	p := Preview{ID: support.NewRef(), Ref: m.Ref, Channel: m.Channel, Target: m.Target, Subject: m.Subject(),
		Text: m.Text, Rule: support.UrgencyRule(a.Profile().Profile, req.Draft.Urgency)}
	if m.BundleName != "" {
		p.Bundle, p.BundleSize = b, b.Size()
	}
	if m.Channel == profile.ChannelPortal && m.Target != "" {
		p.PortalURL = support.FillPortalURL(m.Target, m.Summary, m.URLText,
			support.CategoryLabel(m.Lang, m.Category), m.BundleName)
	}
	if support.NeedsSecret(m.Channel) {
		st := r.secretStatus(m.Channel)
		p.Secret = &st
	}
	now := a.cfg.Now()
	r.mu.Lock()
	for id, old := range r.previews {
		if !now.Before(old.expires) {
			delete(r.previews, id)
		}
	}
	for len(r.previews) >= maxPreviews {
		var oldest string
		for id, old := range r.previews {
			if oldest == "" || old.expires.Before(r.previews[oldest].expires) {
				oldest = id
			}
		}
		delete(r.previews, oldest)
	}
	r.previews[p.ID] = &preview{ref: m.Ref, bundle: b, expires: now.Add(previewLife)}
	r.mu.Unlock()
	return p, nil
}

// SubmitRequest stores the request in the outbox (from then on nothing loses it), forgets
// the draft, remembers the contact details, and makes the first attempt. It waits for that
// attempt until ctx is done or firstAttemptWait has passed; the attempt itself belongs to the
// agent and goes on.
func (a *Agent) SubmitRequest(ctx context.Context, req SubmitRequest) (SubmitResult, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return SubmitResult{}, err
	}
	if req.PreviewID != "" {
		r.mu.Lock()
		ref, done := r.submitted[req.PreviewID]
		r.mu.Unlock()
		if done {
			return r.current(ref)
		}
	}
	m, _, err := r.prepare(req.Draft, req.Channel, req.PreviewID)
	if err != nil {
		return SubmitResult{}, err
	}
	feedback := a.Profile().Profile.Support.FeedbackDays
	entry, err := r.outbox.Add(m, feedback)
	if err != nil {
		return SubmitResult{}, newProblem(KeyRequestStore, "error", err.Error())
	}
	r.mu.Lock()
	if _, ok := r.previews[req.PreviewID]; ok {
		delete(r.previews, req.PreviewID)
		if len(r.submitted) >= maxPreviews {
			clear(r.submitted)
		}
		r.submitted[req.PreviewID] = entry.Ref
	}
	r.mu.Unlock()
	if err := r.store.DeleteDraft(); err != nil {
		slog.Warn("request: the sent draft could not be removed", "error", err)
	}
	c := req.Draft.Contact
	if err := r.store.SaveContact(support.Contact{Email: c.Email, Phone: c.Phone}); err != nil {
		slog.Warn("request: the contact details could not be remembered", "error", err)
	}
	return r.attempt(ctx, entry.Ref, entry)
}

// RetryRequest attempts a request of the outbox now: the user's "try again".
func (a *Agent) RetryRequest(ctx context.Context, ref string) (SubmitResult, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return SubmitResult{}, err
	}
	for _, e := range r.outbox.Pending() {
		if e.Ref == ref {
			return r.attempt(ctx, ref, e)
		}
	}
	return SubmitResult{}, newProblem(KeyRequestUnknown, "ref", ref)
}

// attempt runs one attempt under the agent's lifetime and waits for it as long as the caller
// does (at most firstAttemptWait).
func (r *requests) attempt(ctx context.Context, ref string, entry support.Entry) (SubmitResult, error) {
	type outcome struct {
		e       support.Entry
		receipt support.Receipt
		err     error
	}
	done := make(chan outcome, 1)
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return SubmitResult{}, ErrClosed
	}
	r.running.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.running.Done()
		e, receipt, err := r.outbox.Attempt(r.a.ctx, ref)
		done <- outcome{e, receipt, err}
		// A failed first attempt waits for its back-off timer, or for the connection.
		r.kick(false)
	}()
	wait := time.NewTimer(firstAttemptWait)
	defer wait.Stop()
	select {
	case o := <-done:
		res := SubmitResult{Entry: o.e}
		if o.e.Done() {
			receipt := o.receipt
			res.Receipt = &receipt
		}
		if o.err != nil && o.e.Ref == "" {
			if errors.Is(o.err, support.ErrUnknownRequest) {
				return SubmitResult{}, newProblem(KeyRequestUnknown, "ref", ref)
			}
			return SubmitResult{}, newProblem(KeyRequestStore, "error", o.err.Error())
		}
		return res, nil
	case <-ctx.Done():
		entry.State = support.StateSending
		return SubmitResult{Entry: entry, Pending: true}, nil
	case <-wait.C:
		entry.State = support.StateSending
		return SubmitResult{Entry: entry, Pending: true}, nil
	}
}

// current is the state of a request already handed to the outbox.
func (r *requests) current(ref string) (SubmitResult, error) {
	for _, e := range r.outbox.Pending() {
		if e.Ref == ref {
			return SubmitResult{Entry: e, Pending: e.State == support.StateSending || e.State == support.StateQueued}, nil
		}
	}
	for _, e := range r.outbox.History() {
		if e.Ref == ref {
			return SubmitResult{Entry: e, Receipt: e.Receipt}, nil
		}
	}
	return SubmitResult{}, newProblem(KeyRequestUnknown, "ref", ref)
}

// DiscardRequest removes a request the user no longer wants sent.
func (a *Agent) DiscardRequest(ctx context.Context, ref string) error {
	r := a.requests
	if err := r.available(); err != nil {
		return err
	}
	if err := r.outbox.Discard(ctx, ref); err != nil {
		if errors.Is(err, support.ErrUnknownRequest) {
			return newProblem(KeyRequestUnknown, "ref", ref)
		}
		return newProblem(KeyRequestStore, "error", err.Error())
	}
	return nil
}

// Outbox lists the requests not yet delivered and the history.
func (a *Agent) Outbox() (OutboxList, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return OutboxList{}, err
	}
	l := OutboxList{Pending: r.outbox.Pending(), History: r.outbox.History()}
	if l.Pending == nil {
		l.Pending = []support.Entry{}
	}
	if l.History == nil {
		l.History = []support.Entry{}
	}
	return l, nil
}

// secretTarget is the address a channel's secret belongs to in the profile in use.
func (r *requests) secretTarget(channel string) string {
	p := r.a.Profile().Profile
	switch channel {
	case profile.ChannelWebhook:
		return p.Request.Webhook.URL
	case profile.ChannelRT:
		return p.Request.RT.URL
	}
	return ""
}

func (r *requests) secretStatus(channel string) SecretStatus {
	st := SecretStatus{Channel: channel, Needed: support.NeedsSecret(channel)}
	if !st.Needed {
		return st
	}
	target := r.secretTarget(channel)
	if target == "" {
		m := diagnostics.Msg("outbox.error.no_target", "channel", channel, "key", "request."+channel+".url")
		st.Problem = &m
		return st
	}
	_, err := r.cfg.Secrets.Get(support.SecretAccount(channel, target))
	switch {
	case err == nil:
		st.Stored = true
	case errors.Is(err, support.ErrNoSecret):
	default:
		m := diagnostics.Msg("outbox.error.no_keyring", "host", hostOf(target))
		st.Problem = &m
	}
	return st
}

// RequestSecretStatus says whether channel has its secret in the keyring.
func (a *Agent) RequestSecretStatus(channel string) (SecretStatus, error) {
	if err := a.requests.available(); err != nil {
		return SecretStatus{}, err
	}
	if !knownChannel(channel) {
		return SecretStatus{}, newProblem(KeyRequestChannel, "channel", channel)
	}
	return a.requests.secretStatus(channel), nil
}

// SetRequestSecret stores channel's token or credentials in the keyring for the profile's
// address, then sends the requests that waited for them. An empty secret removes it.
func (a *Agent) SetRequestSecret(channel, secret string) (SecretStatus, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return SecretStatus{}, err
	}
	if !support.NeedsSecret(channel) {
		return SecretStatus{}, newProblem(KeyRequestChannel, "channel", channel)
	}
	target := r.secretTarget(channel)
	if target == "" {
		return SecretStatus{}, messageProblem(diagnostics.Msg("outbox.error.no_target", "channel", channel,
			"key", "request."+channel+".url"))
	}
	account := support.SecretAccount(channel, target)
	var err error
	if secret == "" {
		err = r.cfg.Secrets.Delete(account)
	} else {
		err = r.cfg.Secrets.Set(account, secret)
	}
	if err != nil {
		if errors.Is(err, support.ErrNoKeyring) {
			return SecretStatus{}, messageProblem(diagnostics.Msg("outbox.error.no_keyring", "host", hostOf(target)))
		}
		return SecretStatus{}, newProblem(KeyRequestStore, "error", err.Error())
	}
	r.outbox.CredentialsChanged(channel)
	r.kick(false)
	return r.secretStatus(channel), nil
}

func knownChannel(c string) bool {
	for _, k := range profile.Channels {
		if k == c {
			return true
		}
	}
	return false
}

// hostOf is the host of an address, for messages.
func hostOf(target string) string {
	if u, err := url.Parse(target); err == nil && u.Host != "" {
		return u.Host
	}
	return target
}

// messageProblem turns a translatable message into an API problem.
func messageProblem(m diagnostics.Message) *Problem {
	return &Problem{Key: m.Key, Args: m.Args, Message: i18n.New("en").T(m.Key, m.Args)}
}

// Problems of the request endpoints; each key is in every language.
const (
	KeyRequestStore   = "outbox.error.store_failed" // error
	KeyRequestBundle  = "outbox.error.bundle"       // error
	KeyRequestUnknown = "outbox.error.unknown_request"
	KeyRequestChannel = "outbox.error.secret_channel" // channel
)

// RequestKeys lists the keys above, so a test can prove each one is translated.
var RequestKeys = []string{KeyRequestStore, KeyRequestBundle, KeyRequestUnknown, KeyRequestChannel}

// requestStatus gives the request problems their HTTP status; draft and profile problems
// (draft.*, outbox.error.no_target…) are the caller's: 400.
func requestStatus(p *Problem) int {
	switch p.Key {
	case KeyRequestUnknown:
		return http.StatusNotFound
	case KeyRequestStore, KeyRequestBundle:
		return http.StatusInternalServerError
	case KeyUnavailable:
		return http.StatusNotImplemented
	case KeyClosed:
		return http.StatusServiceUnavailable
	case "outbox.error.no_keyring":
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

func writeRequestError(w http.ResponseWriter, err error) {
	var p *Problem
	if errors.As(err, &p) {
		writeError(w, requestStatus(p), p)
		return
	}
	writeAgentError(w, err)
}

// requestRoutes are the request endpoints, added to the API's routes.
func (s *Server) requestRoutes() map[string]map[string]http.HandlerFunc {
	a := s.agent
	return map[string]map[string]http.HandlerFunc{
		PathRequestDraft: {
			http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
				v, err := a.RequestDraft()
				reply(w, v, err)
			},
			http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
				var req NewDraft
				if readJSON(w, r, &req) {
					v, err := a.NewRequestDraft(req)
					reply(w, v, err)
				}
			},
			http.MethodPut: func(w http.ResponseWriter, r *http.Request) {
				var d support.Draft
				if readJSON(w, r, &d) {
					v, err := a.SaveRequestDraft(d)
					reply(w, v, err)
				}
			},
			http.MethodDelete: func(w http.ResponseWriter, _ *http.Request) {
				reply(w, struct{}{}, a.DiscardRequestDraft())
			},
		},
		PathRequestPreview: {http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
			var req PreviewRequest
			if readJSON(w, r, &req) {
				v, err := a.PreviewRequest(req)
				reply(w, v, err)
			}
		}},
		PathRequestSubmit: {http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
			var req SubmitRequest
			if readJSON(w, r, &req) {
				v, err := a.SubmitRequest(r.Context(), req)
				reply(w, v, err)
			}
		}},
		PathRequestOutbox: {http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
			v, err := a.Outbox()
			reply(w, v, err)
		}},
		PathRequestRetry: {http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
			var req RequestRef
			if readJSON(w, r, &req) {
				v, err := a.RetryRequest(r.Context(), req.Ref)
				reply(w, v, err)
			}
		}},
		PathRequestDiscard: {http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
			var req RequestRef
			if readJSON(w, r, &req) {
				reply(w, struct{}{}, a.DiscardRequest(r.Context(), req.Ref))
			}
		}},
		PathRequestSecret: {
			http.MethodGet: func(w http.ResponseWriter, r *http.Request) {
				v, err := a.RequestSecretStatus(r.URL.Query().Get("channel"))
				reply(w, v, err)
			},
			http.MethodPut: func(w http.ResponseWriter, r *http.Request) {
				var req SecretRequest
				if readJSON(w, r, &req) {
					v, err := a.SetRequestSecret(req.Channel, req.Secret)
					reply(w, v, err)
				}
			},
		},
	}
}

// reply writes v, or the error of a request call.
func reply(w http.ResponseWriter, v any, err error) {
	if err != nil {
		writeRequestError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
