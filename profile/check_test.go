package profile_test

import (
	"testing"
	"time"

	"github.com/apuri-project/apuri/profile"
)

// TestChecksDecodeWithTheirDefaults: every kind decodes, the keys a check leaves out get their
// defaults, and a false or zero the file wrote stays what it says.
func TestChecksDecodeWithTheirDefaults(t *testing.T) {
	p, err := profile.Parse("checks.toml", []byte(`schema = 1

[[checks]]
id = "news"
title = { fi = "Intran uutiset", sv = "Intranätets nyheter", en = "Intranet news" }
kind = "http"
url = "https://intra.example.org/news"
expect_body = "Uutiset"
advice = { fi = "Kysy tiimisi vetäjältä.", sv = "Fråga din teamledare.", en = "Ask your team lead." }

[[checks]]
id = "licences"
title = "Licence server"
kind = "tcp"
address = "licences.example.org:27000"
severity = "warn"

[[checks]]
id = "intra-dns"
title = "Intranet name"
kind = "dns"
name = "intra.example.org"
expect_address = "10.1.2.3"

[[checks]]
id = "lock"
title = "Stale lock"
kind = "file"
path = "~/.cache/app/lock"
must_exist = false
max_age = "1h"

[[checks]]
id = "printer"
title = "Printer queue"
kind = "command"
run = ["lpstat", "-p"]
timeout = "3s"
fix = ["/usr/bin/cupsenable", "office"]

[[checks]]
id = "agent"
title = "Management agent"
kind = "registry"
key = 'HKLM\Software\Example'
value = "Version"
expect = "7"
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Checks) != 6 {
		t.Fatalf("%d checks", len(p.Checks))
	}
	news, lic, lock, printer := p.Checks[0], p.Checks[1], p.Checks[3], p.Checks[4]
	if news.ExpectStatus != 200 || news.Severity != profile.SeverityFail || !news.MustExist {
		t.Errorf("defaults of an http check: %+v", news)
	}
	if lic.Severity != profile.SeverityWarn {
		t.Errorf("severity written as warn reads %q", lic.Severity)
	}
	if lock.MustExist || lock.MaxAge.Duration != time.Hour {
		t.Errorf("must_exist = false read as %v, max_age %v", lock.MustExist, lock.MaxAge)
	}
	if got := p.CheckTimeout(printer); got != 3*time.Second {
		t.Errorf("the command's timeout is %v", got)
	}
	if got := p.CheckTimeout(news); got != p.Timeouts.Check.Duration {
		t.Errorf("a check without a timeout gets %v, not timeouts.check", got)
	}
	if got := news.Titles()["sv"]; got != "Intranätets nyheter" {
		t.Errorf("Swedish title %q", got)
	}
	if got := news.Advices()["fi"]; got != "Kysy tiimisi vetäjältä." {
		t.Errorf("Finnish advice %q", got)
	}
	if lic.Advices() != nil {
		t.Errorf("a check without advice has %v", lic.Advices())
	}
	if c, ok := p.CheckByID("printer"); !ok || c.Fix[0] != "/usr/bin/cupsenable" {
		t.Errorf("CheckByID(printer) = %+v, %v", c, ok)
	}
}

func TestCommandProblem(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"lpstat", "-p"}, ""},
		{[]string{"/usr/bin/lpstat"}, ""},
		{[]string{`C:\Tools\check.exe`, "/quiet"}, ""},
		{[]string{`\\server\share\check.exe`}, ""},
		{[]string{"/bin/sh", "/opt/org/check.sh"}, ""},
		{[]string{"powershell", "-File", `C:\org\check.ps1`}, ""},
		{nil, profile.CommandEmpty},
		{[]string{""}, profile.CommandEmpty},
		{[]string{"bin/check"}, profile.CommandRelative},
		{[]string{`.\check.exe`}, profile.CommandRelative},
		{[]string{"sudo", "lpstat"}, profile.CommandElevates},
		{[]string{"/usr/bin/pkexec", "lpstat"}, profile.CommandElevates},
		{[]string{"RUNAS.EXE", "/user:admin", "x"}, profile.CommandElevates},
		{[]string{"env", "LANG=C", "doas", "x"}, profile.CommandElevates},
		{[]string{"powershell", "Start-Process", "x", "-Verb", "RunAs"}, profile.CommandElevates},
		{[]string{"sh", "-c", "true"}, profile.CommandInlineShell},
		{[]string{"cmd.exe", "/C", "dir"}, profile.CommandInlineShell},
		{[]string{"pwsh", "-Command", "Get-Date"}, profile.CommandInlineShell},
		{[]string{"/usr/bin/env", "bash", "-c", "x"}, profile.CommandInlineShell},
		{[]string{"lpstat", "a\nb"}, profile.CommandControl},
	}
	for _, tt := range tests {
		if got := profile.CommandProblem(tt.argv); got != tt.want {
			t.Errorf("CommandProblem(%q) = %q, want %q", tt.argv, got, tt.want)
		}
	}
}
