package webroot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// tokenResponse is §2.3's shape, decoded tolerantly.
type tokenResponse struct {
	AccessToken  string
	TokenType    string
	ExpiresIn    time.Duration
	RefreshToken string
	Scopes       []string
}

func parseTokenResponse(body []byte) (*tokenResponse, error) {
	var raw struct {
		AccessToken  string          `json:"access_token"`
		TokenType    string          `json:"token_type"`
		ExpiresIn    json.RawMessage `json:"expires_in"`
		RefreshToken string          `json:"refresh_token"`
		Scope        json.RawMessage `json:"scope"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("decoding the token answer: not JSON")
	}
	if raw.AccessToken == "" {
		return nil, fmt.Errorf("the token answer has no access_token")
	}
	// token_type casing is unverified (§2.3): accept any casing of "Bearer", or none.
	if raw.TokenType != "" && !strings.EqualFold(raw.TokenType, "bearer") {
		return nil, fmt.Errorf("the token type %q is not Bearer", raw.TokenType)
	}
	tr := &tokenResponse{AccessToken: raw.AccessToken, TokenType: raw.TokenType, RefreshToken: raw.RefreshToken,
		ExpiresIn: defaultAccessTTL, Scopes: parseScopes(raw.Scope)}
	if secs, ok := flexNumber(raw.ExpiresIn); ok && secs > 0 {
		tr.ExpiresIn = time.Duration(secs * float64(time.Second))
	}
	return tr, nil
}

// parseScopes reads "scope": a string holding a JSON array (what Webroot sends, §2.3), a
// space-separated string, or a plain array.
func parseScopes(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil
	}
	if json.Unmarshal([]byte(s), &list) == nil {
		return list
	}
	return strings.Fields(s)
}

// flexNumber reads a JSON number or a numeric string.
func flexNumber(raw json.RawMessage) (float64, bool) {
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return f, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return v, true
		}
	}
	return 0, false
}
