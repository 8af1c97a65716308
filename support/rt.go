package support

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/apuri-project/apuri/internal/program"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// RT files the request as a ticket in Request Tracker through its REST2 API
// (POST /REST/2.0/ticket), the bundle as an attachment. The secret in the keyring is an
// authentication token, or "user:password" for basic authentication.
//
// RT keeps no idempotency keys, so the reference goes into the ticket's subject: before any
// attempt after the first (one that may have reached RT before the answer was lost, or before
// Apuri was killed), the channel searches the queue for it and adopts the ticket it finds.
type RT struct {
	Secrets Secrets
	Client  *http.Client
}

type rtCreate struct {
	Queue       string         `json:"Queue"`
	Subject     string         `json:"Subject"`
	Content     string         `json:"Content"`
	ContentType string         `json:"ContentType"`
	Requestor   string         `json:"Requestor,omitempty"`
	Attachments []rtAttachment `json:"Attachments,omitempty"`
}

type rtAttachment struct {
	FileName    string `json:"FileName"`
	FileType    string `json:"FileType"`
	FileContent []byte `json:"FileContent"` // base64 in JSON
}

type rtRef struct {
	ID  json.Number `json:"id"`
	URL string      `json:"_url"`
}

// Send files m in the queue m.Queue of the RT at m.Target.
func (c RT) Send(ctx context.Context, m *Outgoing) (Receipt, error) {
	if c.Secrets == nil {
		return Receipt{}, secretFailure(m.Target, ErrNoKeyring)
	}
	secret, err := c.Secrets.Get(SecretAccount("rt", m.Target))
	if err == nil && secret == "" {
		err = ErrNoSecret
	}
	if err != nil {
		return Receipt{}, secretFailure(m.Target, err)
	}
	base := strings.TrimRight(m.Target, "/")
	if m.Attempt > 0 {
		if r, found, err := c.find(ctx, base, secret, m); err != nil {
			return Receipt{}, err
		} else if found {
			return r, nil
		}
	}
	body := rtCreate{Queue: m.Queue, Subject: m.Subject(), Content: m.Text, ContentType: "text/plain",
		Requestor: strings.TrimSpace(m.Contact.Email)}
	if m.BundleName != "" {
		body.Attachments = []rtAttachment{{FileName: m.BundleName, FileType: "application/zip", FileContent: m.Bundle}}
	}
	data, err := json.Marshal(body)
	if err != nil {
		return Receipt{}, &SendError{Kind: FailPermanent, Err: err}
	}
	resp, err := c.do(ctx, http.MethodPost, base+"/REST/2.0/ticket", secret, m.Ref, data)
	if err != nil {
		return Receipt{}, err
	}
	defer resp.Body.Close()
	var ref rtRef
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&ref); err != nil || ref.ID == "" {
		return Receipt{}, &SendError{Kind: FailTemporary, Err: fmt.Errorf("RT answered without a ticket id: %v", err),
			Message: msgBadAnswer(m.Target)}
	}
	return c.receipt(base, ref), nil
}

// find looks for a ticket that an earlier attempt created.
func (c RT) find(ctx context.Context, base, secret string, m *Outgoing) (Receipt, bool, error) {
	query := fmt.Sprintf("Subject LIKE '%s'", RefTag(m.Ref))
	if m.Queue != "" {
		query += fmt.Sprintf(" AND Queue = '%s'", strings.ReplaceAll(m.Queue, "'", "\\'"))
	}
	u := base + "/REST/2.0/tickets?query=" + url.QueryEscape(query)
	resp, err := c.do(ctx, http.MethodGet, u, secret, "", nil)
	if err != nil {
		return Receipt{}, false, err
	}
	defer resp.Body.Close()
	var list struct {
		Items []rtRef `json:"items"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&list); err != nil {
		return Receipt{}, false, &SendError{Kind: FailTemporary, Err: fmt.Errorf("decode RT search: %w", err),
			Message: msgBadAnswer(m.Target)}
	}
	if len(list.Items) == 0 {
		return Receipt{}, false, nil
	}
	return c.receipt(base, list.Items[0]), true, nil
}

func (c RT) receipt(base string, ref rtRef) Receipt {
	return Receipt{Ticket: ref.ID.String(), Link: base + "/Ticket/Display.html?id=" + url.QueryEscape(ref.ID.String())}
}

// do sends one authenticated REST2 call and classifies what goes wrong.
func (c RT) do(ctx context.Context, method, u, secret, ref string, body []byte) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, &SendError{Kind: FailPermanent, Err: err, Message: msgRejectedLocally(u, err)}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ref != "" {
		req.Header.Set("Idempotency-Key", ref)
	}
	req.Header.Set("User-Agent", "Apuri/"+program.Version)
	if user, pass, ok := strings.Cut(secret, ":"); ok {
		req.SetBasicAuth(user, pass)
	} else {
		req.Header.Set("Authorization", "token "+secret)
	}
	client := c.Client
	if client == nil {
		client = defaultHTTPClient()
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, netFailure(u, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, httpFailure(u, resp)
	}
	return resp, nil
}
