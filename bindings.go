package main

// bindings lists the structs whose exported methods the frontend can call: the App for
// lifecycle-level calls, and one small adapter per domain that delegates to backend/.
// The generated JavaScript lives under window.go.main.<Struct>.
func (a *App) bindings() []any {
	return []any{a, a.accountAPI, &MailAPI{app: a}, &WebrootAPI{app: a}, &ManageAPI{app: a}, &MappingAPI{app: a}, &SyncAPI{app: a}, &DesktopAPI{app: a}, &ActivityAPI{app: a}}
}
