package commands

import (
	"errors"
	"fmt"

	"cwm-webroot/backend/account"
	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/cli"
)

func init() {
	cli.Register(cli.Command{
		Name:    "signup",
		Usage:   "--company-name N --time-zone Z --manage-company-id C --manage-site S --name N --email E",
		Summary: "register the company and its first admin (password: CWM_WEBROOT_PASSWORD or stdin)",
		Run:     runSignup,
	})
	cli.Register(cli.Command{
		Name:    "users",
		Usage:   "reset-password EMAIL",
		Summary: "set a user's password and unlock the account (password: CWM_WEBROOT_PASSWORD or stdin)",
		Run:     runUsers,
	})
}

// printValidation writes one line per bad field, named as on the form.
func printValidation(env cli.Env, err error) int {
	var v *apperr.Validation
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			fmt.Fprintf(env.Stderr, "cwm-webroot: %s: %s\n", f.Field, f.Message)
		}
		return cli.ExitUsage
	}
	return cli.Fail(env, "%v", err)
}

func runSignup(inv cli.Invocation, env cli.Env) int {
	fs := newFlagSet("signup", env)
	var in account.SignUpInput
	fs.StringVar(&in.CompanyName, "company-name", "", "Company Name")
	fs.StringVar(&in.TimeZone, "time-zone", "", "Primary Time Zone (IANA, e.g. America/New_York)")
	fs.StringVar(&in.ManageCompanyID, "manage-company-id", "", "Manage company ID")
	fs.StringVar(&in.ManageSite, "manage-site", "", "Manage Site (e.g. na.myconnectwise.net)")
	fs.StringVar(&in.Name, "name", "", "Your Name")
	fs.StringVar(&in.Email, "email", "", "Your Email Address")
	if code, ok := parseFlags(fs, "signup", inv.Args, env); !ok {
		return code
	}
	password, err := secretInput(env, "CWM_WEBROOT_PASSWORD", "the password")
	if err != nil {
		return cli.Fail(env, "%v", err)
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	ctx, inst := c.ctx, c.inst
	// Check the password before anything is saved, so a weak one leaves no half-made company.
	if msg := account.CheckPasswordStrength(password, in.Email, in.Name, in.CompanyName); msg != "" {
		return printValidation(env, &apperr.Validation{Fields: []apperr.FieldError{{Field: account.FieldPassword, Message: msg}}})
	}
	svc := account.New(inst.Store, nil, nil)
	out, err := svc.SignUp(ctx, in)
	if err != nil {
		return printValidation(env, err)
	}
	if _, err := svc.SetPassword(ctx, out.Token, password, password); err != nil {
		return printValidation(env, err)
	}
	fmt.Fprintf(env.Stdout, "Registered %s. %s can now log in as an admin.\n", in.CompanyName, in.Email)
	return cli.ExitOK
}

func runUsers(inv cli.Invocation, env cli.Env) int {
	if len(inv.Args) != 2 || inv.Args[0] != "reset-password" {
		return cli.Fail(env, "usage: cwm-webroot users reset-password EMAIL")
	}
	password, err := secretInput(env, "CWM_WEBROOT_PASSWORD", "the new password")
	if err != nil {
		return cli.Fail(env, "%v", err)
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	ctx, inst := c.ctx, c.inst
	u, err := account.New(inst.Store, nil, nil).SetPasswordDirect(ctx, inv.Args[1], password)
	if err != nil {
		return printValidation(env, err)
	}
	fmt.Fprintf(env.Stdout, "The password of %s (%s) is set and the account is unlocked.\n", u.Email, u.Name)
	return cli.ExitOK
}
