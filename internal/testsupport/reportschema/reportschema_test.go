package reportschema_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/reportschema"
	"github.com/apuri-project/apuri/profile"
)

// fixed is a check that answers with a result made in advance.
type fixed struct {
	id    string
	group diagnostics.Group
	res   diagnostics.Result
}

func (c fixed) ID() string                             { return c.id }
func (c fixed) Group() diagnostics.Group               { return c.group }
func (c fixed) Run(context.Context) diagnostics.Result { return c.res }

// sampleReport is a report made by the diagnostics package's own runner and verdict, in
// English, with a failing DNS check under a working network and a known disruption.
func sampleReport(t *testing.T) []byte {
	t.Helper()
	links := []map[string]any{{"name": "eth0", "up": true, "carrier": true, "addrs": []string{"192.0.2.10/24"}, "usable": true}}
	checks := []diagnostics.Check{
		fixed{diagnostics.IDInterfaces, diagnostics.GroupNetwork,
			diagnostics.OK(i18n.Msg("check.interfaces.ok", "links", "eth0")).
				Detail("links", links).Detail("ignored_vpn", []string{})},
		fixed{diagnostics.IDDNS, diagnostics.GroupNetwork,
			diagnostics.Fail(i18n.Msg("check.dns.fail", "servers", "192.0.2.53:53")).Because("no_answer").
				Detail("names", []any{}).Detail("servers", []any{}).Detail("latency_ms", 0).Detail("dead_servers", []string{"192.0.2.53:53"})},
		fixed{diagnostics.IDMemory, diagnostics.GroupSystem,
			diagnostics.OK(i18n.Msg("check.memory.ok", "percent", 40)).
				Detail("used_percent", 40.2).Detail("total_bytes", 8<<30).Detail("available_bytes", 5<<30)},
		fixed{diagnostics.ServicePrefix + "intranet", diagnostics.GroupService,
			diagnostics.Skip(i18n.Msg("check.service.bad_url", "service", "intranet")).Detail("via_vpn", false)},
	}
	p := &profile.Profile{Timeouts: profile.Timeouts{Check: profile.Duration{Duration: time.Second}, Total: profile.Duration{Duration: 2 * time.Second}}}
	r := diagnostics.Run(context.Background(), p, checks, nil)
	r.NoteDisruptions([]diagnostics.Disruption{{Title: "Name service disruption", URL: "https://status.example.org/1"}}, p)
	r.Localize(i18n.New("en"))
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestARealReportIsValid(t *testing.T) {
	data := sampleReport(t)
	if err := reportschema.Validate(data); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
}

// edit changes the decoded sample report and returns it encoded again.
func edit(t *testing.T, data []byte, change func(r map[string]any)) []byte {
	t.Helper()
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	change(r)
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func check(r map[string]any, id string) map[string]any {
	for _, c := range r["checks"].([]any) {
		if c := c.(map[string]any); c["id"] == id {
			return c
		}
	}
	panic("no check " + id)
}

func verdict(r map[string]any) map[string]any { return r["verdict"].(map[string]any) }

func rename(m map[string]any, from, to string) { m[to] = m[from]; delete(m, from) }

func TestBrokenContractsAreCaught(t *testing.T) {
	base := sampleReport(t)
	tests := []struct {
		name   string
		change func(r map[string]any)
		want   string // a part of the error that points at the place
	}{
		{"a renamed top-level field", func(r map[string]any) { rename(r, "verdict", "result") }, "verdict"},
		{"a missing top-level field", func(r map[string]any) { delete(r, "host") }, "host"},
		{"a renamed check field", func(r map[string]any) { rename(check(r, "system.memory"), "duration_ms", "duration") }, "duration"},
		{"a renamed verdict field", func(r map[string]any) { rename(verdict(r), "advice", "advise") }, "advice"},
		{"an unknown cause", func(r map[string]any) { verdict(r)["cause"] = "no_wifi" }, "cause"},
		{"an unknown status", func(r map[string]any) { check(r, "system.memory")["status"] = "broken" }, "status"},
		{"an unknown group", func(r map[string]any) { check(r, "system.memory")["group"] = "hardware" }, "group"},
		{"a check in the wrong group", func(r map[string]any) { check(r, "system.memory")["group"] = "network" }, "group"},
		{"an unknown check ID", func(r map[string]any) { check(r, "system.memory")["id"] = "system.battery" }, "id"},
		{"a service name the profile cannot have", func(r map[string]any) { check(r, "service.intranet")["id"] = "service.Intra Net" }, "id"},
		{"an unknown reason", func(r map[string]any) { check(r, "network.dns")["reason"] = "dns_broken" }, "reason"},
		{"a renamed detail of a check that ran", func(r map[string]any) {
			rename(check(r, "network.interfaces")["details"].(map[string]any), "links", "interfaces")
		}, "links"},
		{"a detail of the wrong type", func(r map[string]any) {
			check(r, "system.memory")["details"].(map[string]any)["used_percent"] = "40 %"
		}, "used_percent"},
		{"a healthy verdict that fails", func(r map[string]any) { verdict(r)["cause"] = "healthy" }, "status"},
		{"a verdict without evidence", func(r map[string]any) { verdict(r)["evidence"] = []any{} }, "evidence"},
		{"a time that is not RFC 3339", func(r map[string]any) { r["started_at"] = "25.11.2026 10:00" }, "started_at"},
		{"a renamed disruption field", func(r map[string]any) {
			rename(r["known_disruptions"].([]any)[0].(map[string]any), "title", "name")
		}, "title"},
		{"another schema", func(r map[string]any) { r["schema"] = "apuri.report/v2" }, "schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := reportschema.Validate(edit(t, base, tt.change))
			if err == nil {
				t.Fatal("the schema accepted it")
			}
			if testing.Verbose() {
				t.Log(err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("the error does not point at %q:\n%v", tt.want, err)
			}
		})
	}
}

// The contract is open where docs/report.md promises additions: a check's details and a
// message's arguments may gain keys.
func TestPromisedAdditionsAreAccepted(t *testing.T) {
	base := sampleReport(t)
	for name, change := range map[string]func(r map[string]any){
		"a new detail": func(r map[string]any) {
			check(r, "network.dns")["details"].(map[string]any)["resolver"] = "systemd-resolved"
		},
		"a new message argument": func(r map[string]any) {
			check(r, "system.memory")["message"].(map[string]any)["args"].(map[string]any)["swap"] = 3
		},
		"no log lines": func(r map[string]any) { delete(check(r, "network.dns"), "log") },
	} {
		t.Run(name, func(t *testing.T) {
			if err := reportschema.Validate(edit(t, base, change)); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestNotJSON(t *testing.T) {
	if err := reportschema.Validate([]byte(`{"schema": "apuri.report/v1",`)); err == nil {
		t.Error("a cut-off report passed")
	}
}
