package netproxy

import (
	"net/http"
	"time"
)

// Transport is Go's default transport, going through the proxy the desktop chooses for each
// address instead of only the environment's.
func Transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = Shared().Func()
	return t
}

// Client is a client on Transport, for what reads or sends over the web outside the checks:
// the disruption feed and the support channels.
func Client(timeout time.Duration) *http.Client {
	return &http.Client{Transport: Transport(), Timeout: timeout}
}
