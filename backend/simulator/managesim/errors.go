package managesim

import (
	"encoding/json"
	"net/http"
)

// apiError is an error answer in the ErrorResponseMessage shape (manage-api.md §7.2), or a
// plain-text body when plain is set (the "Cannot route" answer is not JSON).
type apiError struct {
	status  int
	code    string
	message string
	errors  []validationError
	plain   string
}

type validationError struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
}

func (e *apiError) write(w http.ResponseWriter) {
	if e.plain != "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(e.status)
		_, _ = w.Write([]byte(e.plain))
		return
	}
	body := map[string]any{"code": e.code, "message": e.message, "errors": nil}
	if len(e.errors) > 0 {
		body["errors"] = e.errors
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only simulator bugs get here; answer like a broken server would.
		http.Error(w, "simulator could not encode the response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func notFound(what string) *apiError {
	// The exact 404 body on current versions is unverified; this is the documented shape.
	return &apiError{status: http.StatusNotFound, code: "NotFound", message: what + " not found"}
}

func invalidQuery(param string, err error) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidObject",
		message: "The " + param + " parameter is invalid: " + err.Error(),
		errors:  []validationError{{Code: "InvalidParameter", Message: err.Error(), Field: param}}}
}

func invalidObject(resource string, errs ...validationError) *apiError {
	for i := range errs {
		errs[i].Resource = resource
	}
	return &apiError{status: http.StatusBadRequest, code: "InvalidObject",
		message: resource + " object is invalid", errors: errs}
}

func badRequest(message string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidObject", message: message}
}
