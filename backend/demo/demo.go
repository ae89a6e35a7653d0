// Package demo prepares the throw-away installation behind `cwm-webroot demo`, so a newcomer
// can see every screen without credentials and without touching a real installation.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"

	"cwm-webroot/backend/account"
)

// NewDataDir creates a fresh, empty data folder for one demo session. The caller removes it
// (and the keychain namespace named after it) when the demo ends.
func NewDataDir() (string, error) {
	dir, err := os.MkdirTemp("", "cwm-webroot-demo-")
	if err != nil {
		return "", fmt.Errorf("creating the demo data folder: %w", err)
	}
	return dir, nil
}

// DemoCompany is the MSP the demo plays.
var DemoCompany = account.SignUpInput{
	CompanyName:     "Bluewave IT Services",
	TimeZone:        "America/Chicago",
	ManageCompanyID: "bluewave",
	ManageSite:      "na.myconnectwise.net",
	Name:            "Demo Admin",
	Email:           "admin@bluewave.example",
}

// SeedAccount registers the demo company with an admin whose password is random: the demo
// opens logged in, and nobody needs (or can reuse) a demo password.
func SeedAccount(ctx context.Context, svc *account.Service) (account.User, error) {
	out, err := svc.SignUp(ctx, DemoCompany)
	if err != nil {
		return account.User{}, fmt.Errorf("seeding the demo company: %w", err)
	}
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return account.User{}, err
	}
	pw := "demo-" + base64.RawURLEncoding.EncodeToString(b)
	return svc.SetPassword(ctx, out.Token, pw, pw)
}
