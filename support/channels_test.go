package support

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/apuri-project/apuri/internal/safetext"
)

// fakeRT answers the REST2 calls Apuri makes, like Request Tracker 5 does. loseFirst makes it
// create the first ticket and then drop the connection, as a crash or a cut line would.
type fakeRT struct {
	*httptest.Server
	mu        sync.Mutex
	tickets   []rtCreate
	searches  int
	loseFirst bool
	token     string
}

func newFakeRT(t *testing.T, token string) *fakeRT {
	f := &fakeRT{token: token}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeRT) serve(w http.ResponseWriter, r *http.Request) {
	user, pass, basic := r.BasicAuth()
	if r.Header.Get("Authorization") != "token "+f.token && !(basic && user+":"+pass == f.token) {
		http.Error(w, `{"message":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/REST/2.0/ticket":
		var c rtCreate
		if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.tickets = append(f.tickets, c)
		id := len(f.tickets)
		if f.loseFirst && id == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":"%d","type":"ticket","_url":"%s/REST/2.0/ticket/%d"}`, id, f.URL, id)
	case r.Method == http.MethodGet && r.URL.Path == "/REST/2.0/tickets":
		f.searches++
		m := regexp.MustCompile(`Subject LIKE '([^']*)'`).FindStringSubmatch(r.URL.Query().Get("query"))
		var items []string
		for i, c := range f.tickets {
			if m != nil && strings.Contains(c.Subject, m[1]) {
				items = append(items, fmt.Sprintf(`{"id":"%d","type":"ticket"}`, i+1))
			}
		}
		fmt.Fprintf(w, `{"count":%d,"items":[%s]}`, len(items), strings.Join(items, ","))
	default:
		http.NotFound(w, r)
	}
}

func TestRTFilesATicketWithTheBundle(t *testing.T) {
	tests := []struct {
		name   string
		secret string
	}{
		{"token", "1-14-abcdef"},
		{"basic credentials", "apuri:s3cret"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := newFakeRT(t, tc.secret)
			secrets := &MemorySecrets{}
			secrets.Set(SecretAccount("rt", rt.URL), tc.secret)
			m := outgoing("rt", rt.URL+"/")
			m.Queue = "Support"
			r, err := RT{Secrets: secrets}.Send(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if r.Ticket != "1" || r.Link != rt.URL+"/Ticket/Display.html?id=1" {
				t.Errorf("receipt %+v", r)
			}
			got := rt.tickets[0]
			if got.Queue != "Support" || !strings.Contains(got.Subject, RefTag(m.Ref)) || got.Content != m.Text ||
				got.Requestor != "matti@example.org" {
				t.Errorf("ticket %+v", got)
			}
			if len(got.Attachments) != 1 || string(got.Attachments[0].FileContent) != string(m.Bundle) ||
				got.Attachments[0].FileName != m.BundleName {
				t.Errorf("attachment %+v", got.Attachments)
			}
		})
	}
}

func TestRTAdoptsTheTicketALostAnswerCreated(t *testing.T) {
	rt := newFakeRT(t, "tok")
	rt.loseFirst = true
	secrets := &MemorySecrets{}
	secrets.Set(SecretAccount("rt", rt.URL), "tok")
	ob := newTestOutbox(t, Channels{Secrets: secrets}, &fakeClock{t: fixedNow})
	m := outgoing("rt", rt.URL)
	m.Queue = "General"
	ob.Add(m, 5)
	e, _, err := ob.Attempt(context.Background(), m.Ref)
	if err == nil || e.State != StateWaiting {
		t.Fatalf("a lost answer is a temporary failure: %s %v", e.State, err)
	}
	ob.Flush(context.Background(), true)
	h := ob.History()
	if len(rt.tickets) != 1 || rt.searches != 1 {
		t.Fatalf("%d tickets after %d searches: the retry must find the first one", len(rt.tickets), rt.searches)
	}
	if len(h) != 1 || h[0].Receipt.Ticket != "1" {
		t.Fatalf("history %+v", h)
	}
}

func TestSecretFailures(t *testing.T) {
	rt := newFakeRT(t, "tok")
	hook := newHookServer(t, 401)
	tests := []struct {
		name    string
		ch      Channel
		target  string
		secrets *MemorySecrets
		key     string
	}{
		{"rt without a token", RT{}, rt.URL, &MemorySecrets{}, "outbox.error.no_token"},
		{"rt without a keyring", RT{}, rt.URL, &MemorySecrets{Unavailable: true}, "outbox.error.no_keyring"},
		{"webhook refusing, no keyring", Webhook{}, hook.URL, &MemorySecrets{Unavailable: true}, "outbox.error.no_keyring"},
		{"webhook refusing, no token", Webhook{}, hook.URL, &MemorySecrets{}, "outbox.error.credentials"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			switch c := tc.ch.(type) {
			case RT:
				c.Secrets = tc.secrets
				tc.ch = c
			case Webhook:
				c.Secrets = tc.secrets
				tc.ch = c
			}
			_, err := tc.ch.Send(context.Background(), outgoing("x", tc.target))
			se := AsSendError(err)
			if se.Kind != FailCredentials || se.Message.Key != tc.key {
				t.Errorf("got %s %s, want credentials %s", se.Kind, se.Message.Key, tc.key)
			}
		})
	}
}

func TestWebhookBody(t *testing.T) {
	var got WebhookBody
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header = r.Header
		json.NewDecoder(r.Body).Decode(&got)
		fmt.Fprint(w, `{"id": 42, "url": "https://tickets.example.org/42"}`)
	}))
	defer srv.Close()
	secrets := &MemorySecrets{}
	secrets.Set(SecretAccount("webhook", srv.URL), "tok")
	m := outgoing("webhook", srv.URL)
	r, err := Webhook{Secrets: secrets}.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if r.Ticket != "42" || r.Link != "https://tickets.example.org/42" {
		t.Errorf("receipt %+v", r)
	}
	if header.Get("Idempotency-Key") != m.Ref || header.Get("Authorization") != "Bearer tok" {
		t.Errorf("headers %v", header)
	}
	if got.Schema != WebhookSchema || got.Text != m.Text || got.Bundle == nil || string(got.Bundle.Data) != string(m.Bundle) {
		t.Errorf("body %+v", got)
	}
}

func TestFillPortalURL(t *testing.T) {
	long := strings.Repeat("Yhteys katkeaa välillä & palaa ", 200)
	tests := []struct {
		name, template, summary, desc string
		want                          []string
	}{
		{"escaped in the query", "https://p.example.org/new?t={summary}&d={description}&c={category}&f={bundle}",
			"VPN & intranet", "a=b", []string{"t=VPN%20%26%20intranet", "d=a%3Db", "c=Verkkoyhteys", "f=b.zip"}},
		{"in a path", "https://p.example.org/new/{summary}", "a b/c", "", []string{"/new/a%20b%2Fc"}},
		{"a long description is cut to fit", "https://p.example.org/new?t={summary}&d={description}", "VPN", long,
			[]string{"t=VPN", "%E2%80%A6"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := FillPortalURL(tc.template, tc.summary, tc.desc, "Verkkoyhteys", "b.zip")
			if len(u) > MaxPortalURL {
				t.Errorf("URL is %d characters", len(u))
			}
			if _, err := url.Parse(u); err != nil {
				t.Errorf("not a URL: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(u, w) {
					t.Errorf("%s lacks %s", u, w)
				}
			}
		})
	}
}

func TestPortalURLCarriesNoPersonalData(t *testing.T) {
	p := testProfile()
	id := testIdentity()
	d := Draft{Summary: "VPN does not work", Lang: "fi", Category: CategoryVPN, Urgency: UrgencyNormal, Attach: true,
		Description: "Matti Meikäläinen here, call 040 123 4567 or matti.meikalainen@valtori.fi; my id 131052-308T; laptop matti-laptop at 192.168.44.10",
		Contact:     Contact{Name: "Matti Meikäläinen", Email: "matti.meikalainen@valtori.fi", Phone: "040 123 4567"}}
	m, err := Prepare(PrepareOptions{Draft: d, Profile: p, Identity: &id, Bundle: &Bundle{Name: "b.zip", Data: []byte("z")}, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	var opened string
	r, err := Portal{SaveDir: t.TempDir(), Open: func(_ context.Context, target string) error {
		if opened == "" {
			opened = target
		}
		return nil
	}}.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	decoded, _ := url.QueryUnescape(opened)
	for _, personal := range []string{"Matti", "Meikäläinen", "040 123 4567", "matti.meikalainen", "131052-308T", "matti-laptop", "192.168.44.10"} {
		if strings.Contains(decoded, personal) {
			t.Errorf("the form address carries %q: %s", personal, decoded)
		}
	}
	if !strings.HasPrefix(opened, "https://support.example.org/new?title=VPN%20does%20not%20work") {
		t.Errorf("opened %s", opened)
	}
	if r.Clipboard != m.Text || !strings.Contains(r.Clipboard, "040 123 4567") {
		t.Error("the clipboard gets the whole text, contact included")
	}
	if data, err := os.ReadFile(r.Saved); err != nil || string(data) != "z" {
		t.Errorf("bundle not saved: %v", err)
	}
	if r.Note == nil || r.Note.Key != "outbox.portal.attach" {
		t.Errorf("note %+v", r.Note)
	}
}

func TestEmailDraft(t *testing.T) {
	type call struct {
		name string
		args []string
	}
	tests := []struct {
		name      string
		goos      string
		xdgEmail  bool
		runFails  bool
		openFails map[string]bool
		wantRun   bool
		wantOpen  string // prefix of the first thing opened
		note      string
	}{
		{"linux with xdg-email", "linux", true, false, nil, true, "", "outbox.email.opened"},
		{"linux without xdg-email opens the draft", "linux", false, false, nil, false, "/", "outbox.email.opened"},
		{"windows opens the draft", "windows", true, false, nil, false, "/", "outbox.email.opened"},
		{"mailto as the last resort", "linux", true, true, map[string]bool{".eml": true}, true, "/", "outbox.email.mailto"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var runs []call
			var opened []string
			e := Email{SaveDir: dir, GOOS: tc.goos,
				LookPath: func(string) (string, error) {
					if tc.xdgEmail {
						return "/usr/bin/xdg-email", nil
					}
					return "", errors.New("not found")
				},
				Run: func(_ context.Context, name string, args ...string) error {
					runs = append(runs, call{name, args})
					if tc.runFails {
						return errors.New("exit 3")
					}
					return nil
				},
				Open: func(_ context.Context, target string) error {
					opened = append(opened, target)
					for suffix := range tc.openFails {
						if strings.HasSuffix(target, suffix) {
							return errors.New("no handler")
						}
					}
					return nil
				}}
			m := outgoing("email", "support@example.org")
			r, err := e.Send(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if (len(runs) > 0) != tc.wantRun {
				t.Errorf("xdg-email runs: %v", runs)
			}
			if tc.wantRun {
				args := strings.Join(runs[0].args, "\x00")
				if !strings.Contains(args, "--attach\x00"+dir) || !strings.HasSuffix(args, "support@example.org") {
					t.Errorf("xdg-email %q", runs[0].args)
				}
			}
			if tc.wantOpen != "" && (len(opened) == 0 || !strings.HasPrefix(opened[0], tc.wantOpen)) {
				t.Errorf("opened %v", opened)
			}
			if r.Note == nil || r.Note.Key != tc.note {
				t.Errorf("note %+v", r.Note)
			}
			if tc.note == "outbox.email.mailto" && !strings.HasPrefix(r.Opened, "mailto:support@example.org?subject=") {
				t.Errorf("opened %q", r.Opened)
			}
			checkEML(t, r.Saved, m)
		})
	}
}

func checkEML(t *testing.T, path string, m *Outgoing) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msg, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	if msg.Header.Get("X-Unsent") != "1" || msg.Header.Get("To") != m.Target || subject != m.Subject() {
		t.Errorf("headers %v", msg.Header)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts int
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		parts++
		data, _ := io.ReadAll(p)
		if p.FileName() == m.BundleName {
			raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(data), "\r\n", ""))
			if err != nil || string(raw) != string(m.Bundle) {
				t.Errorf("attachment differs: %v", err)
			}
		}
	}
	if parts != 2 {
		t.Errorf("%d parts, want text and attachment", parts)
	}
}

// A receiver's answer is shown to the user: its error text, ticket number and link arrive
// clean, and a link that is no web address is not offered.
func TestWebhookAnswersAreCleaned(t *testing.T) {
	hostile := "bad\x1b]0;pwned\x07 request \u202Egnp.exe\x1b[2J"
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"refusal", http.StatusUnprocessableEntity, hostile + strings.Repeat(" word", 100)},
		{"receipt", http.StatusCreated, `{"ticket":"T-1\u001b[31m\u202e","link":"javascript:alert(1)"}`},
		{"receipt with a link", http.StatusCreated, `{"ticket":"T-2","link":"https://tickets.example.org/t/2"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			ob := newTestOutbox(t, Channels{Secrets: &MemorySecrets{}}, &fakeClock{t: fixedNow})
			m := outgoing("webhook", srv.URL)
			if _, err := ob.Add(m, 5); err != nil {
				t.Fatal(err)
			}
			e, receipt, err := ob.Attempt(context.Background(), m.Ref)
			switch tc.name {
			case "refusal":
				detail, _ := e.Error.Args["detail"].(string)
				if err == nil || !safetext.Clean(detail) || !strings.HasPrefix(detail, "bad request gnp.exe word") ||
					utf8.RuneCountInString(detail) > 200 {
					t.Errorf("detail %q (%v)", detail, err)
				}
			case "receipt":
				if err != nil || receipt.Ticket != "T-1" || receipt.Link != "" {
					t.Errorf("receipt %+v, %v", receipt, err)
				}
			default:
				if err != nil || receipt.Link != "https://tickets.example.org/t/2" {
					t.Errorf("receipt %+v, %v", receipt, err)
				}
			}
		})
	}
}
