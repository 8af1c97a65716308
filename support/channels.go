package support

import (
	"fmt"
	"net/http"

	"github.com/apuri-project/apuri/profile"
)

// Channels builds the channel implementations from shared parts; its zero value uses the
// real keyring, HTTP client and desktop.
type Channels struct {
	Secrets Secrets
	Client  *http.Client
	Open    Opener
	Run     CommandRunner
	// Clipboard is the portal's clipboard; nil: the receipt carries the text.
	Clipboard func(string) error
	// SaveDir is where bundles and e-mail drafts are saved for the user.
	SaveDir string
}

// Get returns the channel called name.
func (c Channels) Get(name string) (Channel, error) {
	secrets := c.Secrets
	if secrets == nil {
		secrets = Keyring{}
	}
	switch name {
	case profile.ChannelPortal:
		return Portal{SaveDir: c.SaveDir, Open: c.Open, Clipboard: c.Clipboard}, nil
	case profile.ChannelEmail:
		return Email{SaveDir: c.SaveDir, Open: c.Open, Run: c.Run}, nil
	case profile.ChannelWebhook:
		return Webhook{Secrets: secrets, Client: c.Client}, nil
	case profile.ChannelRT:
		return RT{Secrets: secrets, Client: c.Client}, nil
	}
	return nil, fmt.Errorf("unknown request channel %q", name)
}
