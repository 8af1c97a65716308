package support

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/safetext"
	"github.com/apuri-project/apuri/netproxy"
)

// Outgoing is a request as it leaves: everything a channel needs, fixed at the moment the user
// clicked send. It is stored in the outbox, so a retry sends exactly the same thing.
type Outgoing struct {
	// Ref identifies the request: the idempotency key servers see, and the reference in the text.
	Ref     string    `json:"ref"`
	Channel string    `json:"channel"`
	Created time.Time `json:"created"`
	Lang    string    `json:"lang"`
	Summary string    `json:"summary"`
	// Text is the whole request as the preview showed it.
	Text string `json:"text"`
	// URLText is the short, redacted description a portal URL may carry.
	URLText  string  `json:"url_text,omitempty"`
	Category string  `json:"category"`
	Urgency  Urgency `json:"urgency"`
	Contact  Contact `json:"contact"`
	// BundleName is the attachment's file name; "" when none is attached.
	BundleName string `json:"bundle_name,omitempty"`
	// Target is where the request goes, fixed at submit time so that a later profile
	// cannot redirect it: the webhook or RT address, the e-mail address, the portal template.
	Target string `json:"target"`
	// Queue is the RT queue.
	Queue string `json:"queue,omitempty"`

	// Bundle is the attachment; the outbox keeps it in its own file.
	Bundle []byte `json:"-"`
	// Attempt counts the earlier attempts (0 on the first): a channel whose server cannot
	// deduplicate looks for an earlier delivery before sending again.
	Attempt int `json:"-"`
}

// Subject is the summary with the reference, for e-mail and ticket subjects.
func (m *Outgoing) Subject() string {
	return strings.TrimSpace(m.Summary) + " [" + RefTag(m.Ref) + "]"
}

// Receipt is what a channel reports after delivering (or handing over) a request.
type Receipt struct {
	// Ticket is the ticket's number in support's system, and Link its address, when known.
	Ticket string `json:"ticket,omitempty"`
	Link   string `json:"link,omitempty"`
	// Saved is the file the user must attach or send: the bundle, or the e-mail draft.
	Saved string `json:"saved,omitempty"`
	// Opened is what was opened for the user (a form address without personal data).
	Opened string `json:"opened,omitempty"`
	// Clipboard is text the caller should put on the clipboard: set when the channel had no
	// clipboard of its own (the agent has none; the window puts it there).
	Clipboard string `json:"clipboard,omitempty"`
	// Note tells the user what to do next, when anything.
	Note *i18n.Message `json:"note,omitempty"`
	// HandedOver means the user completes the sending (in the browser or the mail program).
	HandedOver bool `json:"handed_over,omitempty"`
}

// Channel delivers a request to support.
type Channel interface {
	Send(ctx context.Context, m *Outgoing) (Receipt, error)
}

// FailureKind says what a failed send means for the next attempt.
type FailureKind string

// The kinds of failure.
const (
	// FailTemporary: offline, timeout, refused, a server fault. Retried with back-off and
	// when connectivity returns.
	FailTemporary FailureKind = "temporary"
	// FailCredentials: 401/403, or no token stored. Retrying would fail the same way (and may
	// lock the account): the user must fix the credentials first.
	FailCredentials FailureKind = "credentials"
	// FailPermanent: the server refused the request itself, or the user's desktop could not
	// open what the channel needs. Kept, and sent again only when the user asks.
	FailPermanent FailureKind = "permanent"
)

// SendError is a failed send, with the message to show.
type SendError struct {
	Kind    FailureKind
	Status  int // the HTTP status, when there was one
	Message i18n.Message
	Err     error
}

func (e *SendError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Kind, e.Err)
	}
	return fmt.Sprintf("%s failure (HTTP %d)", e.Kind, e.Status)
}

func (e *SendError) Unwrap() error { return e.Err }

// AsSendError classifies any error from a channel; one that is not a *SendError is temporary.
func AsSendError(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	return &SendError{Kind: FailTemporary, Message: i18n.Msg("outbox.error.other", "error", err.Error()), Err: err}
}

// netFailure classifies an error of the HTTP client: everything below HTTP is temporary, and
// the message says which of offline, timeout and refused it was.
func netFailure(target string, err error) *SendError {
	host := hostOf(target)
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return &SendError{Kind: FailTemporary, Message: i18n.Msg("outbox.error.timeout", "host", host), Err: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &SendError{Kind: FailTemporary, Message: i18n.Msg("outbox.error.refused", "host", host), Err: err}
	}
	return &SendError{Kind: FailTemporary, Message: i18n.Msg("outbox.error.offline", "host", host), Err: err}
}

// httpFailure classifies an HTTP answer that is not a success.
func httpFailure(target string, resp *http.Response) *SendError {
	host := hostOf(target)
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	// The server's own words, shown to the user: one clean line, escape and bidi characters out.
	detail := safetext.Line(string(body), 200)
	err := fmt.Errorf("%s: %s", target, resp.Status)
	code := resp.StatusCode
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return &SendError{Kind: FailCredentials, Status: code, Err: err,
			Message: i18n.Msg("outbox.error.credentials", "host", host, "status", code)}
	case code >= 500, code == http.StatusRequestTimeout, code == http.StatusTooManyRequests:
		return &SendError{Kind: FailTemporary, Status: code, Err: err,
			Message: i18n.Msg("outbox.error.server", "host", host, "status", code)}
	}
	return &SendError{Kind: FailPermanent, Status: code, Err: err,
		Message: i18n.Msg("outbox.error.rejected", "host", host, "status", code, "detail", detail)}
}

// secretFailure turns a keyring error into the failure to show: no token stored, or no
// keyring at all. Both wait for the user.
func secretFailure(target string, err error) *SendError {
	host := hostOf(target)
	if errors.Is(err, ErrNoSecret) {
		return &SendError{Kind: FailCredentials, Err: err, Message: i18n.Msg("outbox.error.no_token", "host", host)}
	}
	return &SendError{Kind: FailCredentials, Err: err, Message: i18n.Msg("outbox.error.no_keyring", "host", host)}
}

// msgRejectedLocally: the target address itself is unusable (a broken profile value).
func msgRejectedLocally(target string, err error) i18n.Message {
	return i18n.Msg("outbox.error.bad_target", "target", target, "error", err.Error())
}

// msgBadAnswer: the server answered success with something Apuri cannot read.
func msgBadAnswer(target string) i18n.Message {
	return i18n.Msg("outbox.error.bad_answer", "host", hostOf(target))
}

func hostOf(target string) string {
	if u, err := url.Parse(target); err == nil && u.Host != "" {
		return u.Host
	}
	return target
}

// defaultHTTPClient bounds a send: a request is small, and a server that takes longer is
// retried later rather than holding the outbox. It goes through the proxy the desktop chooses,
// as the browser would.
func defaultHTTPClient() *http.Client {
	return netproxy.Client(60 * time.Second)
}
