package netproxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

// fetchTimeout bounds fetching a script; a browser would not wait longer either.
const fetchTimeout = 5 * time.Second

// fetchPAC reads a script from an http(s) or file address, at most MaxPACBytes. It goes
// direct: the script is what says which proxy to use, so it cannot come through one.
func fetchPAC(ctx context.Context, client *http.Client, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("proxy script address: %w", err)
	}
	var body io.ReadCloser
	switch u.Scheme {
	case "file":
		f, err := os.Open(u.Path)
		if err != nil {
			return nil, fmt.Errorf("proxy script: %w", err)
		}
		body = f
	case "http", "https":
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, fmt.Errorf("proxy script: %w", err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("proxy script: %w", err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("proxy script %s: HTTP %d", u.Redacted(), resp.StatusCode)
		}
		body = resp.Body
	default:
		return nil, fmt.Errorf("proxy script address %q is not http, https or file", u.Redacted())
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, MaxPACBytes+1))
	if err != nil {
		return nil, fmt.Errorf("proxy script: %w", err)
	}
	if len(data) > MaxPACBytes {
		return nil, errPACTooLarge
	}
	return data, nil
}

// directClient fetches scripts without any proxy and without keeping connections.
func directClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DisableKeepAlives = true
	return &http.Client{Transport: t, Timeout: fetchTimeout}
}
