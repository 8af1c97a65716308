package fleet

import (
	"net/http"
	"strings"
	"sync"
)

// Secrets is where the collector's token is kept: the OS keyring (support.Keyring).
type Secrets interface {
	Get(account string) (string, error)
}

// SecretAccount names the collector's token in the keyring, like the request channels'
// ("fleet https://otel.example.org:4318"): a profile that points elsewhere never sends an old
// token to a new collector.
func SecretAccount(endpoint string) string {
	return "fleet " + strings.TrimRight(endpoint, "/")
}

// bearer adds "Authorization: Bearer <token>" when the keyring holds a token. The keyring is
// asked once, at the first request, from the exporter's own goroutine: it may wait for the
// user to unlock it, and no event must wait for that.
type bearer struct {
	base    http.RoundTripper
	secrets Secrets
	account string

	once  sync.Once
	token string
}

func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	b.once.Do(func() {
		if b.secrets != nil {
			if t, err := b.secrets.Get(b.account); err == nil {
				b.token = strings.TrimSpace(t)
			}
		}
	})
	if b.token != "" {
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	return b.base.RoundTrip(req)
}
