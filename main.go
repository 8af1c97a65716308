// Command apuri is a tray helper for people who hit an IT problem at work: it diagnoses the
// network, VPN, services and computer, says what broke in plain words, and helps ask for help.
// Its windows are in the apuri-window program beside it (cmd/apuri-window), so that this one,
// which sits in the tray all day, never loads Fyne.
package main

import (
	"os"

	"github.com/apuri-project/apuri/app/tray"
	"github.com/apuri-project/apuri/cli"
)

func main() {
	os.Exit(cli.Main(cli.Env{Tray: tray.Run}, os.Args[1:]))
}
