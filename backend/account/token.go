package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
)

// Link purposes. Every account link has the form cwm-webroot://activate?token=…; what it
// does is decided by the stored token, not by anything in the link a user could edit.
const (
	PurposeActivate = "activate" // the person who signed the company up
	PurposeInvite   = "invite"   // a user invited by an admin
	PurposeReset    = "reset"    // a password reset
)

// linkNames say each kind of link in the activity log.
var linkNames = map[string]string{
	PurposeActivate: "the account link from sign-up",
	PurposeInvite:   "an invitation link",
	PurposeReset:    "a password reset link",
}

const tokenBytes = 32 // 256 bits

func newToken() (token, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("generating link token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Link builds the account link for a token.
func Link(token string) string {
	return "cwm-webroot://activate?token=" + url.QueryEscape(token)
}

// TokenFromLink accepts a pasted link (or the bare token) and returns the token. Links
// pasted from mail clients often gain spaces, angle brackets or a trailing full stop.
func TokenFromLink(link string) (string, error) {
	s := strings.TrimSpace(link)
	s = strings.Trim(s, "<>\"' .")
	if s == "" {
		return "", fmt.Errorf("paste the account link from your email")
	}
	if !strings.Contains(s, "://") {
		return validToken(s)
	}
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "cwm-webroot") || !strings.EqualFold(u.Host, "activate") {
		return "", fmt.Errorf("this is not an account link: it should start with cwm-webroot://activate?token=")
	}
	return validToken(u.Query().Get("token"))
}

func validToken(t string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil || len(b) != tokenBytes {
		return "", fmt.Errorf("this account link is incomplete or damaged: copy the whole link from the email")
	}
	return t, nil
}
