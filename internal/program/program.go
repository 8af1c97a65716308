// Package program holds what every Apuri program shares: the options each one takes, its exit
// codes and the build's version. The command line, the tray and the windows all use it, so it
// imports nothing of Apuri but the translations.
package program

import "github.com/apuri-project/apuri/i18n"

// Exit codes of the contract.
const (
	ExitOK     = 0 // nothing failed
	ExitFailed = 1 // something failed
	ExitUsage  = 2 // bad usage or bad profile
)

// Version is the build's version, set at link time:
//
//	-ldflags "-X github.com/apuri-project/apuri/internal/program.Version=…"
var Version = "0.1.0-dev"

// Options are the flags every program and subcommand takes.
type Options struct {
	// Profile is the --profile flag: the organisation profile file; "" looks it up.
	Profile string
	// Lang is the --lang flag: "fi", "sv", "en", or "" for the user's setting or the system's.
	Lang string
	// Details is the tray's --details flag: show the details window once running, as the menu
	// entry asks, so that Apuri opens a window even where the desktop shows no tray icon.
	Details bool

	tr *i18n.Translator
}

// WithTranslator returns o speaking through tr; the command line sets it once the flags are read.
func (o Options) WithTranslator(tr *i18n.Translator) Options {
	o.tr = tr
	return o
}

// Tr is the translator for the chosen language; nil until WithTranslator set one.
func (o Options) Tr() *i18n.Translator { return o.tr }
