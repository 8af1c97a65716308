package app

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/selfhelp"
)

// TestCallButtonShowsAPhone: the Call button carries a phone, not a person's silhouette, so it
// reads as "call" at a glance.
func TestCallButtonShowsAPhone(t *testing.T) {
	h, w := showHelp(t, "en", demo.Healthy())
	var label string
	for _, s := range w.steps {
		if s.Action.Kind == selfhelp.ActionCall {
			label = h.env.msg(s.Action.Label)
		}
	}
	if label == "" {
		t.Fatal("the ladder has no Call button")
	}
	b := h.button(label)
	if b == nil {
		t.Fatalf("no button %q", label)
	}
	if b.Icon == nil || !strings.HasSuffix(b.Icon.Name(), "phone.svg") {
		t.Errorf("the Call button's icon is %v, want the phone", b.Icon)
	}
}
