//go:build darwin

package tray

import "C"

// current is the tray goTrayStart starts; cgo forbids C definitions next to //export, so
// the callback lives in this file.
var current *Tray

//export goTrayStart
func goTrayStart() {
	if current != nil && current.start != nil {
		current.launched.Store(true)
		current.start()
	}
}
