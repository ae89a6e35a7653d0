// Command cwm-webroot is the Manage Webroot Integration desktop app and its command line.
package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"

	"cwm-webroot/backend/cli"
	_ "cwm-webroot/backend/commands" // registers the domain subcommands
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	inv, err := cli.Parse(args, devBuild)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cwm-webroot: %v\n\n", err)
		cli.Usage(os.Stderr)
		return cli.ExitUsage
	}
	if !inv.GUI() {
		return cli.Main(inv, cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	}
	app := NewApp(inv)
	if err := wails.Run(app.options(assets)); err != nil {
		fmt.Fprintf(os.Stderr, "cwm-webroot: %v\n", err)
		return 1
	}
	return 0
}
