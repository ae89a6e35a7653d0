package webroot

import (
	"encoding/json"
	"strings"
)

// apiFailure is what the client understood of an error body.
type apiFailure struct {
	Code        string // effective error code (the nested one when present)
	OuterCode   string // the top-level "error" when a nested one replaced it
	Description string
	RequestID   string
}

// parseFailure reads both error shapes of webroot-api.md: the /service/api envelope
// {"statusCode","requestId","error","error_description","AdditionalInformation"} and the
// OAuth shape {"error","error_description"} of /auth/token, including an error encoded as
// JSON inside error_description (§2.5) and a code only given in WWW-Authenticate.
// Key names are matched case-insensitively and without underscores, because the two
// shapes (and Secure Cloud's correlationId) differ in casing.
func parseFailure(body []byte, wwwAuthenticate string) apiFailure {
	var f apiFailure
	fields := map[string]json.RawMessage{}
	if json.Unmarshal(body, &fields) == nil {
		for k, v := range fields {
			switch strings.ToLower(strings.ReplaceAll(k, "_", "")) {
			case "error":
				f.Code = jsonString(v)
			case "errordescription", "message":
				if f.Description == "" {
					f.Description = jsonString(v)
				}
			case "requestid":
				f.RequestID = jsonString(v)
			case "correlationid":
				if f.RequestID == "" {
					f.RequestID = jsonString(v)
				}
			}
		}
	}
	if nestedCode, nestedDesc, ok := nestedError(f.Description); ok {
		if nestedCode != "" && nestedCode != f.Code {
			f.OuterCode = f.Code
			f.Code = nestedCode
		}
		f.Description = nestedDesc
	}
	if f.Code == "" {
		f.Code = bearerErrorCode(wwwAuthenticate)
	}
	f.Description = strings.TrimSpace(f.Description)
	return f
}

// nestedError finds {"error":…,"error_description":…} encoded inside a description,
// alone or after some text.
func nestedError(desc string) (code, description string, ok bool) {
	start, end := strings.Index(desc, "{"), strings.LastIndex(desc, "}")
	if start < 0 || end < start {
		return "", "", false
	}
	inner := parseFailure([]byte(desc[start:end+1]), "")
	if inner.Code == "" && inner.Description == "" {
		return "", "", false
	}
	prefix := strings.TrimRight(strings.TrimSpace(desc[:start]), ":- ")
	description = inner.Description
	if prefix != "" {
		description = strings.TrimSpace(prefix + " " + description)
	}
	return inner.Code, description, true
}

// jsonString returns a JSON string's value; null and non-strings give "".
func jsonString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// bearerErrorCode extracts error="…" from a WWW-Authenticate: Bearer challenge.
func bearerErrorCode(h string) string {
	i := strings.Index(h, `error="`)
	if i < 0 {
		return ""
	}
	rest := h[i+len(`error="`):]
	if j := strings.Index(rest, `"`); j >= 0 {
		return rest[:j]
	}
	return ""
}
