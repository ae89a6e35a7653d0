// Package events is the single seam between backend services and the Wails event bus, so
// services can be tested without a window.
package events

import "sync"

// Emitter sends a named event with a payload to every connected frontend.
type Emitter interface {
	Emit(name string, payload any)
}

// EmitterFunc adapts a function to Emitter.
type EmitterFunc func(name string, payload any)

// Emit calls f.
func (f EmitterFunc) Emit(name string, payload any) { f(name, payload) }

// Discard drops every event; used by the command line, which has no frontend.
var Discard Emitter = EmitterFunc(func(string, any) {})

// Event is one recorded emission.
type Event struct {
	Name    string
	Payload any
}

// Recorder keeps every event; tests use it to assert what the UI would have been told.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

// Emit records the event.
func (r *Recorder) Emit(name string, payload any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, Event{Name: name, Payload: payload})
}

// Events returns a copy of what was recorded so far.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Named returns the recorded payloads of one event name, in order.
func (r *Recorder) Named(name string) []any {
	var out []any
	for _, e := range r.Events() {
		if e.Name == name {
			out = append(out, e.Payload)
		}
	}
	return out
}
