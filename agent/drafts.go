package agent

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

// The request window's work: the draft it edits, the preview of exactly what will leave, and
// the submit that hands the request to the outbox.

// previewLife and maxPreviews bound the previews the agent keeps for submits.
const (
	previewLife = time.Hour
	maxPreviews = 8
)

type preview struct {
	ref     string
	bundle  *support.Bundle
	expires time.Time
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
