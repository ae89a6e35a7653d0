package webrootsim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// writeJSON answers with a JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeEnvelope answers with the /service/api error envelope (§6). code "" is sent as
// null, as Webroot does for plain parameter errors.
func (s *Server) writeEnvelope(w http.ResponseWriter, status int, code, description string) {
	var errField any
	if code != "" {
		errField = code
	}
	writeJSON(w, status, map[string]any{
		"statusCode":            status,
		"requestId":             newUUID(),
		"error":                 errField,
		"error_description":     description,
		"AdditionalInformation": map[string]any{},
	})
}

// writeTokenError answers a token request OAuth style (§2.5), optionally with the error
// nested inside error_description as Secure Cloud does.
func (s *Server) writeTokenError(w http.ResponseWriter, status int, code, description string) {
	body := map[string]any{"error": code, "error_description": description}
	if s.opts.NestedTokenErrors {
		inner, _ := json.Marshal(map[string]string{"error": code, "error_description": description})
		body = map[string]any{"error": "invalid_request", "error_description": string(inner)}
	}
	writeJSON(w, status, body)
}

// newUUID is a random version-4 UUID, for request ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newToken is an opaque random token of n bytes, hex encoded.
func newToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
