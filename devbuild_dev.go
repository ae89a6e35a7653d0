//go:build dev

package main

// devBuild: Wails parses its own -assetdir/-devserver flags in dev builds.
const devBuild = true
