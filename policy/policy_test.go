package policy

import (
	"errors"
	"strings"
	"testing"
)

// fakeHive is one policy key: strings and integers by name, or an error for a name.
type fakeHive struct {
	strs map[string]string
	ints map[string]uint64
	errs map[string]error
}

func (h fakeHive) String(name string) (string, bool, error) {
	if err := h.errs[name]; err != nil {
		return "", false, err
	}
	s, ok := h.strs[name]
	return s, ok, nil
}

func (h fakeHive) Integer(name string) (uint64, bool, error) {
	if err := h.errs[name]; err != nil {
		return 0, false, err
	}
	n, ok := h.ints[name]
	return n, ok, nil
}

func on(b bool) *bool { return &b }

func TestFromHive(t *testing.T) {
	tests := []struct {
		name    string
		hive    fakeHive
		want    Policy
		wantErr string
	}{
		{"nothing set", fakeHive{}, Policy{}, ""},
		{"both set", fakeHive{
			strs: map[string]string{ValueProfilePath: `\\fs.example\apuri\profile.toml`},
			ints: map[string]uint64{ValueAutostart: 1},
		}, Policy{ProfilePath: `\\fs.example\apuri\profile.toml`, Autostart: on(true)}, ""},
		{"autostart off", fakeHive{ints: map[string]uint64{ValueAutostart: 0}}, Policy{Autostart: on(false)}, ""},
		{"path trimmed", fakeHive{strs: map[string]string{ValueProfilePath: "  D:/Apuri/profile.toml "}},
			Policy{ProfilePath: "D:/Apuri/profile.toml"}, ""},
		{"empty path is unset", fakeHive{strs: map[string]string{ValueProfilePath: " "}}, Policy{}, ""},
		{"relative path refused, autostart kept", fakeHive{
			strs: map[string]string{ValueProfilePath: `Apuri\profile.toml`},
			ints: map[string]uint64{ValueAutostart: 1},
		}, Policy{Autostart: on(true)}, "not an absolute path"},
		{"drive without a separator refused", fakeHive{strs: map[string]string{ValueProfilePath: `C:profile.toml`}},
			Policy{}, "not an absolute path"},
		{"autostart out of range", fakeHive{
			strs: map[string]string{ValueProfilePath: `C:\Apuri\p.toml`},
			ints: map[string]uint64{ValueAutostart: 2},
		}, Policy{ProfilePath: `C:\Apuri\p.toml`}, "neither 0 nor 1"},
		{"wrong type reported", fakeHive{errs: map[string]error{ValueAutostart: errors.New("unexpected key value type")}},
			Policy{}, "Autostart: unexpected key value type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromHive(tt.hive)
			if !samePolicy(got, tt.want) {
				t.Errorf("policy = %s, want %s", show(got), show(tt.want))
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one saying %q", err, tt.wantErr)
			}
		})
	}
}

func TestMachineWinsOverUser(t *testing.T) {
	machine := Policy{ProfilePath: `C:\ProgramData\Org\profile.toml`}
	user := Policy{ProfilePath: `C:\Users\a\profile.toml`, Autostart: on(false)}
	got := Merge(machine, user)
	want := Policy{ProfilePath: machine.ProfilePath, Autostart: on(false)}
	if !samePolicy(got, want) {
		t.Errorf("Merge = %s, want %s", show(got), show(want))
	}
	got = Merge(Policy{Autostart: on(true)}, user)
	want = Policy{ProfilePath: user.ProfilePath, Autostart: on(true)}
	if !samePolicy(got, want) {
		t.Errorf("Merge = %s, want %s", show(got), show(want))
	}
	if Merge(Policy{}, Policy{}).Managed() {
		t.Error("no policy at all says it is managed")
	}
}

func samePolicy(a, b Policy) bool {
	if a.ProfilePath != b.ProfilePath || (a.Autostart == nil) != (b.Autostart == nil) {
		return false
	}
	return a.Autostart == nil || *a.Autostart == *b.Autostart
}

func show(p Policy) string {
	a := "unset"
	if p.Autostart != nil {
		a = map[bool]string{true: "on", false: "off"}[*p.Autostart]
	}
	return "{path " + p.ProfilePath + ", autostart " + a + "}"
}
