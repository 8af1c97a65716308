package agent

import (
	"context"
	"net/http"
	"net/url"

	"github.com/apuri-project/apuri/support"
)

// RequestDraft returns the saved draft, else a fresh one from the latest diagnosis.
func (c *Client) RequestDraft(ctx context.Context) (DraftInfo, error) {
	var d DraftInfo
	err := c.do(ctx, http.MethodGet, PathRequestDraft, nil, &d)
	return d, err
}

// NewRequestDraft starts a fresh draft (saved), naming the self-help steps already tried.
func (c *Client) NewRequestDraft(ctx context.Context, opts NewDraft) (DraftInfo, error) {
	var d DraftInfo
	err := c.do(ctx, http.MethodPost, PathRequestDraft, opts, &d)
	return d, err
}

// SaveRequestDraft keeps the draft as the user left it.
func (c *Client) SaveRequestDraft(ctx context.Context, d support.Draft) (DraftInfo, error) {
	var saved DraftInfo
	err := c.do(ctx, http.MethodPut, PathRequestDraft, d, &saved)
	return saved, err
}

// DiscardRequestDraft throws the saved draft away.
func (c *Client) DiscardRequestDraft(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, PathRequestDraft, nil, nil)
}

// PreviewRequest returns exactly what will leave for the draft: text, bundle files, redactions.
func (c *Client) PreviewRequest(ctx context.Context, req PreviewRequest) (Preview, error) {
	var p Preview
	err := c.do(ctx, http.MethodPost, PathRequestPreview, req, &p)
	return p, err
}

// SubmitRequest hands the request to the agent's outbox and returns after the first attempt
// (or with Pending set while it runs on).
func (c *Client) SubmitRequest(ctx context.Context, req SubmitRequest) (SubmitResult, error) {
	var r SubmitResult
	err := c.do(ctx, http.MethodPost, PathRequestSubmit, req, &r)
	return r, err
}

// Outbox lists the requests waiting to be delivered, and the history.
func (c *Client) Outbox(ctx context.Context) (OutboxList, error) {
	var l OutboxList
	err := c.do(ctx, http.MethodGet, PathRequestOutbox, nil, &l)
	return l, err
}

// RetryRequest attempts a waiting request now.
func (c *Client) RetryRequest(ctx context.Context, ref string) (SubmitResult, error) {
	var r SubmitResult
	err := c.do(ctx, http.MethodPost, PathRequestRetry, RequestRef{Ref: ref}, &r)
	return r, err
}

// DiscardRequest removes a waiting request.
func (c *Client) DiscardRequest(ctx context.Context, ref string) error {
	return c.do(ctx, http.MethodPost, PathRequestDiscard, RequestRef{Ref: ref}, nil)
}

// RequestSecretStatus says whether channel's secret is in the keyring.
func (c *Client) RequestSecretStatus(ctx context.Context, channel string) (SecretStatus, error) {
	var s SecretStatus
	err := c.do(ctx, http.MethodGet, PathRequestSecret+"?channel="+url.QueryEscape(channel), nil, &s)
	return s, err
}

// SetRequestSecret stores channel's token or "user:password" in the keyring ("" removes it).
func (c *Client) SetRequestSecret(ctx context.Context, channel, secret string) (SecretStatus, error) {
	var s SecretStatus
	err := c.do(ctx, http.MethodPut, PathRequestSecret, SecretRequest{Channel: channel, Secret: secret}, &s)
	return s, err
}
