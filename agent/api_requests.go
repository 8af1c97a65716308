package agent

import (
	"errors"
	"net/http"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/support"
)

// The request endpoints of the local API: their paths, wire types and routes. The work behind
// them is the agent's (drafts.go, outbox.go, secrets.go).

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
	Rule i18n.Message `json:"rule"`
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
	Rule i18n.Message `json:"rule"`
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
	Problem *i18n.Message `json:"problem,omitempty"`
}

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
