package agent

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

// hook is a webhook receiver on loopback that deduplicates by Idempotency-Key. Its answers
// follow status (the last repeats; none: 201). hold, when set, makes each call wait for it.
type hook struct {
	*httptest.Server
	mu      sync.Mutex
	status  []int
	calls   int
	keys    []string
	tickets map[string]string
	bundles map[string][]byte
	seen    chan string
	hold    chan struct{}
}

func newHook(t *testing.T, status ...int) *hook {
	h := &hook{status: status, tickets: map[string]string{}, bundles: map[string][]byte{}, seen: make(chan string, 16)}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body support.WebhookBody
		_ = json.NewDecoder(r.Body).Decode(&body)
		key := r.Header.Get("Idempotency-Key")
		h.mu.Lock()
		code := http.StatusCreated
		if len(h.status) > 0 {
			code = h.status[min(h.calls, len(h.status)-1)]
		}
		h.calls++
		h.keys = append(h.keys, key)
		hold := h.hold
		h.mu.Unlock()
		h.seen <- key
		if hold != nil {
			select {
			case <-hold:
			case <-r.Context().Done():
			}
		}
		if code/100 != 2 {
			http.Error(w, "no", code)
			return
		}
		h.mu.Lock()
		ticket, ok := h.tickets[key]
		if !ok {
			ticket = fmt.Sprint(500 + len(h.tickets))
			h.tickets[key] = ticket
			if body.Bundle != nil {
				h.bundles[key] = body.Bundle.Data
			}
		}
		h.mu.Unlock()
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"ticket":%q}`, ticket)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) delivered() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.tickets)
}

func hookProfile(url string) profile.Loaded {
	p := profile.Default()
	p.Support.Phone, p.Support.PhoneHours = "0295 000 000", "8–16"
	p.Request.Channel = profile.ChannelWebhook
	p.Request.Webhook.URL = url
	return profile.Loaded{Profile: p, Source: profile.Source{Kind: profile.SourceFlag}}
}

var testIdentity = support.Identity{Login: "mmeikalainen", RealName: "Matti Meikäläinen", Home: "/home/mmeikalainen", Hostname: "matti-laptop"}

func requestAgent(t *testing.T, dir string, loaded profile.Loaded, secrets support.Secrets) *Agent {
	t.Helper()
	id := testIdentity
	if secrets == nil {
		secrets = &support.MemorySecrets{}
	}
	diag := &fakeDiagnosis{steps: threeChecks, status: diagnostics.StatusFail}
	return newTestAgent(t, Config{Profile: loaded, Diagnose: diag.diagnose, Requests: RequestsConfig{
		Dir: dir, Secrets: secrets, Identity: &id, SaveDir: t.TempDir(),
		Open: func(context.Context, string) error { return nil },
	}})
}

func TestRequestThroughTheAPI(t *testing.T) {
	h := newHook(t)
	dir := t.TempDir()
	a := requestAgent(t, dir, hookProfile(h.URL), nil)
	c, _ := serve(t, a)
	ctx := context.Background()
	if _, err := c.Diagnose(ctx); err != nil {
		t.Fatal(err)
	}

	info, err := c.RequestDraft(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Saved || info.Draft.Summary == "" || info.Draft.Contact.Name != "Matti Meikäläinen" || !info.Draft.Attach {
		t.Fatalf("fresh draft %+v", info)
	}
	if info.Channel != profile.ChannelWebhook || info.Phone != "0295 000 000" || len(info.Categories) != 5 {
		t.Errorf("draft info %+v", info)
	}
	d := info.Draft
	d.Description = "Intranet does not open since this morning."
	d.Urgency = support.UrgencyUrgent
	d.Contact.Email, d.Contact.Phone = "matti@example.org", "040 123 4567"
	info, err = c.SaveRequestDraft(ctx, d)
	if err != nil || !info.Saved || info.Rule.Key != "draft.rule.urgent_phone_hours" {
		t.Fatalf("saved %+v, %v", info, err)
	}

	// The draft survives the window and the agent.
	again := requestAgent(t, dir, hookProfile(h.URL), nil)
	if got, err := again.RequestDraft(); err != nil || !got.Saved || got.Draft.Description != d.Description {
		t.Fatalf("after a restart the draft is %+v, %v", got, err)
	}

	p, err := c.PreviewRequest(ctx, PreviewRequest{Draft: d})
	if err != nil {
		t.Fatal(err)
	}
	if p.Bundle == nil || len(p.Bundle.Files) < 4 || p.BundleSize == 0 || !strings.Contains(p.Text, support.RefTag(p.Ref)) ||
		!strings.Contains(p.Text, "040 123 4567") || p.Secret == nil || p.Secret.Stored {
		t.Fatalf("preview %+v", p)
	}
	var manifest string
	for _, f := range p.Bundle.Files {
		if f.Name == support.FileManifest {
			manifest = f.Text
		}
	}
	if !strings.Contains(manifest, "redactions") {
		t.Errorf("the preview shows no MANIFEST: %+v", p.Bundle.Files)
	}

	res, err := c.SubmitRequest(ctx, SubmitRequest{Draft: d, PreviewID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pending || res.Entry.State != support.StateSent || res.Receipt == nil || res.Receipt.Ticket != "500" {
		t.Fatalf("submit %+v", res)
	}
	if res.Entry.Ref != p.Ref {
		t.Error("the submit did not send the previewed request")
	}
	// A second click on send files nothing more.
	if again, err := c.SubmitRequest(ctx, SubmitRequest{Draft: d, PreviewID: p.ID}); err != nil || again.Entry.Ref != p.Ref || h.delivered() != 1 {
		t.Errorf("second submit: %+v %v, %d deliveries", again.Entry, err, h.delivered())
	}
	// The very bundle previewed is the one delivered: the same files, byte for byte.
	h.mu.Lock()
	delivered := h.bundles[p.Ref]
	h.mu.Unlock()
	zr, err := zip.NewReader(bytes.NewReader(delivered), int64(len(delivered)))
	if err != nil {
		t.Fatalf("delivered bundle: %v", err)
	}
	if len(zr.File) != len(p.Bundle.Files) {
		t.Errorf("delivered %d files, previewed %d", len(zr.File), len(p.Bundle.Files))
	}

	l, err := c.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pending) != 0 || len(l.History) != 1 || l.History[0].Rule == nil || l.History[0].Rule.Key != "outbox.history.can_reject" {
		t.Fatalf("outbox %+v", l)
	}
	if info, _ := c.RequestDraft(ctx); info.Saved {
		t.Error("the sent draft is still saved")
	}
	if info, _ := c.RequestDraft(ctx); info.Draft.Contact.Email != "matti@example.org" || info.Draft.Contact.Phone != "040 123 4567" {
		t.Errorf("the contact details were not remembered: %+v", info.Draft.Contact)
	}
}

func TestRequestWaitsAndGoesWhenTheConnectionReturns(t *testing.T) {
	h := newHook(t, 503, 503, 201)
	fw := newFakeWatch()
	id := testIdentity
	diag := &fakeDiagnosis{steps: threeChecks, status: diagnostics.StatusFail}
	a := newTestAgent(t, Config{Profile: hookProfile(h.URL), Diagnose: diag.diagnose, Watch: fw.run,
		Requests: RequestsConfig{Dir: t.TempDir(), Secrets: &support.MemorySecrets{}, Identity: &id,
			Backoff: func(int) time.Duration { return time.Hour }}})
	updates, cancel := a.Subscribe()
	defer cancel()
	ctx := context.Background()
	a.RunDiagnosis(ctx)
	info, _ := a.RequestDraft()
	res, err := a.SubmitRequest(ctx, SubmitRequest{Draft: info.Draft})
	if err != nil {
		t.Fatal(err)
	}
	if res.Entry.State != support.StateWaiting || res.Entry.Error == nil || res.Entry.Error.Key != "outbox.error.server" {
		t.Fatalf("after a 503: %+v", res.Entry)
	}
	for st := untilState(t, updates); len(st.Requests.Pending) != 1 || st.Requests.Pending[0].State != support.StateWaiting; st = untilState(t, updates) {
	}
	// The watcher's first working probe, then a restore: each sends what waits.
	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	w := <-fw.started
	w.sample(diagnostics.WatchSample{Time: time.Now(), State: diagnostics.ConnOnline, Status: diagnostics.StatusOK, Cause: diagnostics.CauseHealthy})
	poll.Until(t, "the second attempt", func() bool { h.mu.Lock(); defer h.mu.Unlock(); return h.calls == 2 })
	restored := watchEvent(diagnostics.WatchRestored, diagnostics.CauseNoLink, time.Minute)
	restored.Ended = diagnostics.WatchLost
	w.emit(restored)
	poll.Until(t, "delivery after the restore", func() bool { return h.delivered() == 1 })
	poll.Until(t, "an empty outbox in the state", func() bool { return len(a.State().Requests.Pending) == 0 })
	if l, _ := a.Outbox(); len(l.History) != 1 || l.History[0].Attempts != 3 {
		t.Fatalf("history %+v", l.History)
	}
}

func TestRequestRetriesOnItsBackoffTimer(t *testing.T) {
	h := newHook(t, 500, 201)
	id := testIdentity
	a := newTestAgent(t, Config{Profile: hookProfile(h.URL), Now: time.Now, Requests: RequestsConfig{Dir: t.TempDir(),
		Secrets: &support.MemorySecrets{}, Identity: &id, Backoff: func(int) time.Duration { return time.Millisecond }}})
	a.RunDiagnosis(context.Background())
	info, _ := a.RequestDraft()
	if _, err := a.SubmitRequest(context.Background(), SubmitRequest{Draft: info.Draft}); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, "delivery on the back-off timer", func() bool { return h.delivered() == 1 })
}

func TestRequestCredentials(t *testing.T) {
	h := newHook(t, 401, 201)
	secrets := &support.MemorySecrets{}
	dir := t.TempDir()
	a := requestAgent(t, dir, hookProfile(h.URL), secrets)
	c, _ := serve(t, a)
	ctx := context.Background()
	a.RunDiagnosis(ctx)
	info, _ := a.RequestDraft()
	res, err := c.SubmitRequest(ctx, SubmitRequest{Draft: info.Draft})
	if err != nil || res.Entry.State != support.StateNeedsCredentials {
		t.Fatalf("after a 401: %+v %v", res.Entry, err)
	}
	a.FlushOutbox()
	time.Sleep(50 * time.Millisecond) // a blind retry, if there were one, would happen now
	h.mu.Lock()
	calls := h.calls
	h.mu.Unlock()
	if calls != 1 {
		t.Fatalf("a 401 was retried blindly: %d calls", calls)
	}
	st, err := c.SetRequestSecret(ctx, profile.ChannelWebhook, "t0ken")
	if err != nil || !st.Stored || !st.Needed {
		t.Fatalf("set secret: %+v %v", st, err)
	}
	if got, _ := secrets.Get(support.SecretAccount("webhook", h.URL)); got != "t0ken" {
		t.Errorf("keyring holds %q", got)
	}
	poll.Until(t, "delivery with the new token", func() bool { return h.delivered() == 1 })
	if st, err := c.RequestSecretStatus(ctx, profile.ChannelPortal); err != nil || st.Needed {
		t.Errorf("portal secret status %+v %v", st, err)
	}

	noKeyring := requestAgent(t, t.TempDir(), hookProfile(h.URL), &support.MemorySecrets{Unavailable: true})
	c2, _ := serve(t, noKeyring)
	_, err = c2.SetRequestSecret(ctx, profile.ChannelWebhook, "x")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusServiceUnavailable || apiErr.Key != "outbox.error.no_keyring" {
		t.Fatalf("without a keyring: %v", err)
	}
	// The secret-less channels still work.
	pl := hookProfile(h.URL)
	pl.Profile.Request.Channel = profile.ChannelPortal
	noKeyring.SetProfile(pl)
	noKeyring.RunDiagnosis(ctx)
	info, _ = noKeyring.RequestDraft()
	res, err = c2.SubmitRequest(ctx, SubmitRequest{Draft: info.Draft})
	if err != nil || res.Entry.State != support.StateHandedOver || res.Receipt == nil || res.Receipt.Clipboard == "" {
		t.Fatalf("portal without a keyring: %+v %v", res, err)
	}
}

func TestRequestErrors(t *testing.T) {
	h := newHook(t)
	a := requestAgent(t, t.TempDir(), hookProfile(h.URL), nil)
	c, _ := serve(t, a)
	ctx := context.Background()
	tests := []struct {
		name   string
		call   func() error
		status int
		key    string
	}{
		{"empty summary", func() error {
			_, err := c.SubmitRequest(ctx, SubmitRequest{Draft: support.Draft{Urgency: support.UrgencyNormal}})
			return err
		}, http.StatusBadRequest, "draft.error.no_summary"},
		{"unknown channel", func() error {
			_, err := c.PreviewRequest(ctx, PreviewRequest{Draft: support.Draft{Summary: "x", Urgency: support.UrgencyNormal}, Channel: "fax"})
			return err
		}, http.StatusBadRequest, "outbox.error.unknown_channel"},
		{"rt without an address", func() error {
			_, err := c.PreviewRequest(ctx, PreviewRequest{Draft: support.Draft{Summary: "x", Urgency: support.UrgencyNormal}, Channel: "rt"})
			return err
		}, http.StatusBadRequest, "outbox.error.no_target"},
		{"retry of nothing", func() error {
			_, err := c.RetryRequest(ctx, "0123456789abcdef")
			return err
		}, http.StatusNotFound, KeyRequestUnknown},
		{"discard of nothing", func() error { return c.DiscardRequest(ctx, "0123456789abcdef") }, http.StatusNotFound, KeyRequestUnknown},
		{"secret for the portal", func() error {
			_, err := c.SetRequestSecret(ctx, "portal", "x")
			return err
		}, http.StatusBadRequest, KeyRequestChannel},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var apiErr *APIError
			if err := tc.call(); !errors.As(err, &apiErr) || apiErr.Status != tc.status || apiErr.Key != tc.key {
				t.Errorf("got %v, want %d %s", err, tc.status, tc.key)
			}
		})
	}
}

func TestRequestKeysAreTranslated(t *testing.T) {
	for _, lang := range i18n.Languages {
		for _, k := range RequestKeys {
			if _, ok := i18n.Text(lang, k); !ok {
				t.Errorf("%s lacks %s", lang, k)
			}
		}
	}
}
