package support

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/apuri-project/apuri/internal/program"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/apuri-project/apuri/internal/safetext"
)

// WebhookSchema identifies the JSON a webhook receives.
const WebhookSchema = "apuri.request/v1"

// WebhookBody is what the webhook channel POSTs.
type WebhookBody struct {
	Schema   string    `json:"schema"`
	Ref      string    `json:"ref"`
	Created  time.Time `json:"created"`
	Lang     string    `json:"lang"`
	Summary  string    `json:"summary"`
	Text     string    `json:"text"`
	Category string    `json:"category"`
	Urgency  Urgency   `json:"urgency"`
	Contact  Contact   `json:"contact"`
	Bundle   *struct {
		Name        string `json:"name"`
		ContentType string `json:"content_type"`
		Data        []byte `json:"data"` // base64 in JSON
	} `json:"bundle,omitempty"`
}

// WebhookReply is what Apuri reads from a webhook's answer, when the body is JSON: the ticket
// and its link, under the names ticket systems commonly use.
type WebhookReply struct {
	Ticket string `json:"ticket"`
	ID     any    `json:"id"`
	Link   string `json:"link"`
	URL    string `json:"url"`
}

// Webhook POSTs the request as JSON, the bundle inlined in base64, with an Idempotency-Key
// header (the request's Ref) so that a receiver can drop the copy a retry after a lost answer
// sends. A bearer token is sent when the keyring holds one for the webhook's address.
type Webhook struct {
	Secrets Secrets
	Client  *http.Client
}

// Send delivers m to m.Target.
func (w Webhook) Send(ctx context.Context, m *Outgoing) (Receipt, error) {
	body := WebhookBody{Schema: WebhookSchema, Ref: m.Ref, Created: m.Created, Lang: m.Lang,
		Summary: m.Summary, Text: m.Text, Category: m.Category, Urgency: m.Urgency, Contact: m.Contact}
	if m.BundleName != "" {
		body.Bundle = &struct {
			Name        string `json:"name"`
			ContentType string `json:"content_type"`
			Data        []byte `json:"data"`
		}{m.BundleName, "application/zip", m.Bundle}
	}
	data, err := json.Marshal(body)
	if err != nil {
		return Receipt{}, &SendError{Kind: FailPermanent, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.Target, bytes.NewReader(data))
	if err != nil {
		return Receipt{}, &SendError{Kind: FailPermanent, Err: err,
			Message: msgRejectedLocally(m.Target, err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.Ref)
	req.Header.Set("User-Agent", "Apuri/"+program.Version)
	// An open webhook on the organisation's network needs no token; a 401 says otherwise, and
	// then the message says whether a token is missing or the keyring itself.
	var secretErr error
	if w.Secrets != nil {
		token, err := w.Secrets.Get(SecretAccount("webhook", m.Target))
		if err == nil && token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		} else if err != nil && !errors.Is(err, ErrNoSecret) {
			secretErr = err
		}
	}
	client := w.Client
	if client == nil {
		client = defaultHTTPClient()
	}
	resp, err := client.Do(req)
	if err != nil {
		return Receipt{}, netFailure(m.Target, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		f := httpFailure(m.Target, resp)
		if f.Kind == FailCredentials && secretErr != nil {
			f.Message = secretFailure(m.Target, secretErr).Message
		}
		return Receipt{}, f
	}
	var reply WebhookReply
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	_ = json.Unmarshal(raw, &reply)
	r := Receipt{Ticket: reply.Ticket, Link: reply.Link}
	if r.Ticket == "" && reply.ID != nil {
		r.Ticket = fmt.Sprint(reply.ID)
	}
	if r.Link == "" {
		r.Link = reply.URL
	}
	// The receiver's answer is shown and its link opened: a short clean ticket number, and a
	// link only if it is a plain web address.
	r.Ticket, r.Link = safetext.Line(r.Ticket, 80), webLink(r.Link)
	return r, nil
}

// webLink keeps a link from outside only if it is an http(s) address that reads as it is.
func webLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !safetext.Clean(link) ||
		strings.ContainsAny(link, " \n\t") {
		return ""
	}
	return link
}
