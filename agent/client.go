package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
)

// APIError is an error answer of the local API, or a failure to reach it. Its Problem has the
// translation key to show; errors.As(err, &p) with p *Problem finds it too.
type APIError struct {
	// Status is the HTTP status, 0 when the agent could not be reached or answered nonsense.
	Status int
	Problem
}

func (e *APIError) Error() string { return e.Problem.Error() }

// Unwrap gives the Problem, so callers handle agent and client errors alike.
func (e *APIError) Unwrap() error { return &e.Problem }

// Client talks to a running agent over its socket; the windows and the tests use it. Its
// methods are safe for concurrent use.
type Client struct {
	path string
	http *http.Client
}

// NewClient returns a client for the agent at path without connecting.
func NewClient(path string) *Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
		MaxIdleConnsPerHost: 4,
		DisableCompression:  true,
	}
	return &Client{path: path, http: &http.Client{Transport: tr}}
}

// Dial returns a client for the agent at path after making sure something listens there.
func Dial(path string) (*Client, error) {
	conn, err := net.Dial("unix", path)
	if err != nil {
		return nil, unreachable(err)
	}
	conn.Close()
	return NewClient(path), nil
}

// Path is the socket the client talks to.
func (c *Client) Path() string { return c.path }

// Close releases idle connections.
func (c *Client) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

// State returns the agent's state.
func (c *Client) State(ctx context.Context) (State, error) {
	var s State
	err := c.do(ctx, http.MethodGet, PathState, nil, &s)
	return s, err
}

// StartDiagnosis starts a diagnosis, or joins the running one, and returns at once; follow it
// with Events.
func (c *Client) StartDiagnosis(ctx context.Context) (DiagnoseStarted, error) {
	var d DiagnoseStarted
	err := c.do(ctx, http.MethodPost, PathDiagnose, nil, &d)
	return d, err
}

// Diagnose starts or joins a diagnosis and waits for its report.
func (c *Client) Diagnose(ctx context.Context) (*diagnostics.Report, error) {
	var r diagnostics.Report
	if err := c.do(ctx, http.MethodPost, PathDiagnose+"?wait=1", nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Events calls fn with each update, starting with the whole state, until ctx is done (it
// returns ctx.Err()) or the agent ends the stream (it returns nil: the agent quit). fn runs on
// the caller's goroutine; while it runs, the agent keeps going and coalesces what fn misses.
func (c *Client) Events(ctx context.Context, fn func(Update)) error {
	resp, err := c.send(ctx, http.MethodGet, PathEvents, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var u Update
		if err := dec.Decode(&u); err != nil {
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case errors.Is(err, io.EOF):
				return nil
			}
			return unreachable(err)
		}
		fn(u)
	}
}

// Profile returns the profile in use, its source and the problems of the sources passed over.
func (c *Client) Profile(ctx context.Context) (profile.Loaded, error) {
	var p ProfileInfo
	if err := c.do(ctx, http.MethodGet, PathProfile, nil, &p); err != nil {
		return profile.Loaded{}, err
	}
	return p.Loaded(), nil
}

// Settings returns the user's settings.
func (c *Client) Settings(ctx context.Context) (Settings, error) {
	var s Settings
	err := c.do(ctx, http.MethodGet, PathSettings, nil, &s)
	return s, err
}

// SaveSettings stores the settings and returns them as saved.
func (c *Client) SaveSettings(ctx context.Context, s Settings) (Settings, error) {
	var saved Settings
	err := c.do(ctx, http.MethodPut, PathSettings, s, &saved)
	return saved, err
}

// OpenWindow asks the agent to open window name (one of Windows), or raise it when open.
func (c *Client) OpenWindow(ctx context.Context, name string) error {
	return c.do(ctx, http.MethodPost, PathOpen, OpenRequest{Window: name}, nil)
}

// Quit asks the agent to quit.
func (c *Client) Quit(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, PathQuit, nil, nil)
}

// do sends a request with an optional JSON body and decodes a 2xx answer into out.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	resp, err := c.send(ctx, method, path, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return badResponse(fmt.Errorf("decode %s: %w", path, err))
	}
	return nil
}

// send makes a request and turns a non-2xx answer into an *APIError.
func (c *Client) send(ctx context.Context, method, path string, in any) (*http.Response, error) {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", path, err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://apuri"+path, body)
	if err != nil {
		return nil, fmt.Errorf("request %s: %w", path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, unreachable(err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var eb errorBody
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err := json.Unmarshal(data, &eb); err != nil || eb.Error.Key == "" {
		e := badResponse(fmt.Errorf("%s %s: %s", method, path, resp.Status))
		e.Status = resp.StatusCode
		return nil, e
	}
	return nil, &APIError{Status: resp.StatusCode, Problem: eb.Error}
}

func unreachable(err error) *APIError {
	return &APIError{Problem: *newProblem(KeyUnreachable, "error", err.Error())}
}

func badResponse(err error) *APIError {
	return &APIError{Problem: *newProblem(KeyBadResponse, "error", err.Error())}
}
