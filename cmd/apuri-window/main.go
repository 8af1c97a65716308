// Command apuri-window shows one of Apuri's windows (details, help, request, settings). The
// agent starts it as `apuri window NAME`; it is a program of its own so that Fyne's code stays
// out of the always-on agent.
package main

import (
	"os"

	"github.com/apuri-project/apuri/app"
	"github.com/apuri-project/apuri/cli"
)

func main() {
	os.Exit(cli.Main(cli.Env{Window: app.Run}, os.Args[1:]))
}
