//go:build !dev

package main

const devBuild = false
