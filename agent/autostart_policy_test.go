package agent

import (
	"errors"
	"testing"

	"github.com/apuri-project/apuri/policy"
)

// TestPolicyDecidesStartAtLogin: where the policy decides, the agent makes the login item
// agree as it starts, the settings show the policy's choice, and the user cannot change it.
func TestPolicyDecidesStartAtLogin(t *testing.T) {
	for _, want := range []bool{true, false} {
		item := &fakeAutostart{on: !want}
		a := newTestAgent(t, Config{Autostart: withPolicy(item, policy.Policy{Autostart: &want})})
		if len(item.set) != 1 || item.set[0] != want {
			t.Fatalf("policy %v: login item changes %v, want one to %v", want, item.set, want)
		}
		if st := a.State(); st.Settings.StartAtLogin != want || !st.StartAtLoginManaged {
			t.Errorf("policy %v: state says %v, managed %v", want, st.Settings.StartAtLogin, st.StartAtLoginManaged)
		}
		s := a.Settings()
		s.StartAtLogin = !want
		_, err := a.SaveSettings(s)
		var p *Problem
		if !errors.As(err, &p) || p.Key != KeyAutostartManaged {
			t.Errorf("policy %v: changing it gave %v, want %s", want, err, KeyAutostartManaged)
		}
		if len(item.set) != 1 {
			t.Errorf("policy %v: the refused change reached the login item: %v", want, item.set)
		}
	}
}

func TestPolicyEnforcementFailureIsShown(t *testing.T) {
	on := true
	item := &fakeAutostart{err: errors.New("access denied")}
	a := newTestAgent(t, Config{Autostart: withPolicy(item, policy.Policy{Autostart: &on})})
	found := false
	for _, p := range a.State().Problems {
		found = found || p.Key == KeyAutostart
	}
	if !found {
		t.Errorf("problems %+v, want %s", a.State().Problems, KeyAutostart)
	}
}

func TestNoPolicyLeavesTheItemAlone(t *testing.T) {
	item := &fakeAutostart{}
	got := withPolicy(item, policy.Policy{ProfilePath: `C:\p.toml`})
	if got != Autostart(item) {
		t.Errorf("withPolicy without an autostart policy = %T, want the item itself", got)
	}
	if newTestAgent(t, Config{Autostart: got}).State().StartAtLoginManaged {
		t.Error("the state says the policy decides, but none does")
	}
}
