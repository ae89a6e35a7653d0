// Package account holds the MSP's company registration and its users: sign-up, one-time
// account links, passwords, log-in with lockout, and user administration.
package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

// Roles.
const (
	RoleAdmin = "admin"
	RoleUser  = "user"
)

// Statuses.
const (
	StatusPending  = "pending"
	StatusActive   = "active"
	StatusDisabled = "disabled"
)

// Lockout policy.
const (
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
	LinkLifetime    = 24 * time.Hour
)

// Company is the registered MSP.
type Company struct {
	Name            string    `json:"name"`
	TimeZone        string    `json:"timeZone"`
	ManageCompanyID string    `json:"manageCompanyId"`
	ManageSite      string    `json:"manageSite"`
	CreatedAt       time.Time `json:"createdAt"`
}

// User is a person who may use the app. It never carries the password hash.
type User struct {
	ID          int64      `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        string     `json:"role"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"createdAt"`
	LastLoginAt *time.Time `json:"lastLoginAt"`
	LockedUntil *time.Time `json:"lockedUntil"`
}

// Mailer sends account links; nil or unconfigured mail means links are handed over on screen.
type Mailer interface {
	// Configured reports whether outgoing mail is set up.
	Configured(ctx context.Context) bool
	// SendLink emails an account link of the given purpose.
	SendLink(ctx context.Context, purpose string, to User, companyName, inviterName, link string, expires time.Time) error
}

// Service implements the account flows on the store.
type Service struct {
	store  *store.Store
	mailer Mailer
	now    func() time.Time
}

// New returns the account service. now is injectable for expiry and lockout tests.
func New(s *store.Store, mailer Mailer, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: s, mailer: mailer, now: now}
}

func (s *Service) mailConfigured(ctx context.Context) bool {
	return s.mailer != nil && s.mailer.Configured(ctx)
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(v sql.NullString) *time.Time {
	if !v.Valid {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, v.String)
	if err != nil {
		return nil
	}
	return &t
}

// Company returns the registered company; ok is false before sign-up.
func (s *Service) Company(ctx context.Context) (c Company, ok bool, err error) {
	var created string
	err = s.store.DB.QueryRowContext(ctx, `SELECT name, time_zone, manage_company_id, manage_site, created_at FROM company WHERE id = 1`).
		Scan(&c.Name, &c.TimeZone, &c.ManageCompanyID, &c.ManageSite, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("reading company: %w", err)
	}
	c.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	return c, true, nil
}

// Location is the company's Primary Time Zone (UTC before sign-up).
func (s *Service) Location(ctx context.Context) *time.Location {
	loc, _ := s.Zone(ctx)
	return loc
}

// Zone is Location that also says whether it could be read: a busy database gives UTC
// and an error, so a caller that keeps time by it can keep the last zone it read instead.
func (s *Service) Zone(ctx context.Context) (*time.Location, error) {
	c, ok, err := s.Company(ctx)
	if err != nil {
		return time.UTC, err
	}
	if !ok {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC, fmt.Errorf("the company's time zone %q: %w", c.TimeZone, err)
	}
	return loc, nil
}

const userColumns = `id, email, name, role, status, created_at, last_login_at, locked_until`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var created string
	var last, locked sql.NullString
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Status, &created, &last, &locked); err != nil {
		return u, err
	}
	u.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	u.LastLoginAt = parseTS(last)
	u.LockedUntil = parseTS(locked)
	return u, nil
}

// User returns one user by id.
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.store.DB.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %d: %w", id, store.ErrNotFound)
	}
	return u, err
}

// Users lists every user, admins first, then by name.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	rows, err := s.store.DB.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY role = 'admin' DESC, name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("listing users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// LinkOutcome tells the screen what happened to a link it asked for: emailed, or (without
// mail) handed over so the person at the keyboard can continue or pass it on.
type LinkOutcome struct {
	Emailed bool   `json:"emailed"`
	Email   string `json:"email"`
	// Link is set only when the link was not emailed.
	Link string `json:"link,omitempty"`
	// Token is set only when the link was not emailed, for continuing straight on.
	Token     string    `json:"token,omitempty"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// ErrAlreadySignedUp refuses a second company in one installation.
var ErrAlreadySignedUp = errors.New("this installation already has a registered company: log in instead, or ask its admin to invite you")

// SignUp registers the company and its first admin, and issues the activation link.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (LinkOutcome, error) {
	in.normalise()
	if err := in.validate(); err != nil {
		return LinkOutcome{}, err
	}
	now := s.now()
	var user User
	var token string
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM company`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadySignedUp
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO company(id, name, time_zone, manage_company_id, manage_site, created_at) VALUES(1, ?, ?, ?, ?, ?)`,
			in.CompanyName, in.TimeZone, in.ManageCompanyID, in.ManageSite, ts(now)); err != nil {
			return fmt.Errorf("saving company: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users(email, name, role, status, created_at) VALUES(?, ?, 'admin', 'pending', ?)`, in.Email, in.Name, ts(now))
		if err != nil {
			return fmt.Errorf("saving user: %w", err)
		}
		user = User{Email: in.Email, Name: in.Name, Role: RoleAdmin, Status: StatusPending, CreatedAt: now}
		user.ID, _ = res.LastInsertId()
		if token, err = issueToken(ctx, tx, user.ID, PurposeActivate, now); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, in.Email, "company.signup", "company "+in.CompanyName+" registered")
	})
	if err != nil {
		return LinkOutcome{}, err
	}
	return s.deliver(ctx, PurposeActivate, user, in.CompanyName, "", token, now)
}

// issueToken creates a link token, replacing the user's unused ones of the same purpose so
// only the newest link works.
func issueToken(ctx context.Context, tx *sql.Tx, userID int64, purpose string, now time.Time) (string, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM account_tokens WHERE user_id = ? AND used_at IS NULL`, userID); err != nil {
		return "", fmt.Errorf("retiring old links: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO account_tokens(user_id, purpose, token_hash, created_at, expires_at) VALUES(?, ?, ?, ?, ?)`,
		userID, purpose, hash, ts(now), ts(now.Add(LinkLifetime))); err != nil {
		return "", fmt.Errorf("saving link: %w", err)
	}
	return token, nil
}

func (s *Service) deliver(ctx context.Context, purpose string, u User, companyName, inviter, token string, now time.Time) (LinkOutcome, error) {
	out := LinkOutcome{Email: u.Email, ExpiresAt: now.Add(LinkLifetime)}
	if s.mailConfigured(ctx) {
		if err := s.mailer.SendLink(ctx, purpose, u, companyName, inviter, Link(token), out.ExpiresAt); err != nil {
			// The account exists; the link can be sent again. Say what failed.
			return out, fmt.Errorf("the account was saved but the email to %s could not be sent: %w", u.Email, err)
		}
		out.Emailed = true
		return out, nil
	}
	out.Link, out.Token = Link(token), token
	return out, nil
}

// LinkInfo describes a valid link before it is used, for the password screen.
type LinkInfo struct {
	Purpose     string `json:"purpose"`
	Email       string `json:"email"`
	Name        string `json:"name"`
	CompanyName string `json:"companyName"`
}

// Link errors, worded for the person holding the link.
var (
	ErrLinkInvalid = errors.New("this account link is not valid: check that you copied all of it, or ask for a new one")
	ErrLinkUsed    = errors.New("this account link has already been used: log in, or ask for a new link")
)

// LinkExpiredError says when the link expired.
type LinkExpiredError struct{ At time.Time }

func (e LinkExpiredError) Error() string {
	return "this account link expired on " + e.At.Format("2 Jan 2006 15:04 MST") + ": ask for a new one"
}

func (s *Service) lookupToken(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, linkOrToken string) (tokenID int64, info LinkInfo, u User, err error) {
	token, err := TokenFromLink(linkOrToken)
	if err != nil {
		return 0, info, u, apperr.FieldError{Field: "Account link", Message: err.Error()}
	}
	var expires string
	var used sql.NullString
	err = q.QueryRowContext(ctx, `SELECT t.id, t.purpose, t.expires_at, t.used_at, u.id FROM account_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
		hashToken(token)).Scan(&tokenID, &info.Purpose, &expires, &used, &u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, info, u, ErrLinkInvalid
	}
	if err != nil {
		return 0, info, u, fmt.Errorf("reading link: %w", err)
	}
	if used.Valid {
		return 0, info, u, ErrLinkUsed
	}
	exp, _ := time.Parse(time.RFC3339Nano, expires)
	if !s.now().Before(exp) {
		return 0, info, u, LinkExpiredError{At: exp.In(s.Location(ctx))}
	}
	u, err = scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, u.ID))
	if err != nil {
		return 0, info, u, fmt.Errorf("reading link user: %w", err)
	}
	if u.Status == StatusDisabled {
		return 0, info, u, errors.New("this account is disabled: ask an admin")
	}
	info.Email, info.Name = u.Email, u.Name
	c, _, _ := s.Company(ctx)
	info.CompanyName = c.Name
	return tokenID, info, u, nil
}

// CheckLink validates a link without using it up.
func (s *Service) CheckLink(ctx context.Context, link string) (LinkInfo, error) {
	_, info, _, err := s.lookupToken(ctx, s.store.DB, link)
	return info, err
}

// SetPassword uses a link to set the user's password (account creation, invitation or
// reset) and activates the account. The link cannot be used again.
func (s *Service) SetPassword(ctx context.Context, link, password, retype string) (User, error) {
	var user User
	now := s.now()
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		tokenID, info, u, err := s.lookupToken(ctx, tx, link)
		if err != nil {
			return err
		}
		c, _, _ := s.Company(ctx)
		if err := checkNewPassword(password, retype, u.Email, u.Name, c.Name); err != nil {
			return err
		}
		hash, err := HashPassword(password)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE account_tokens SET used_at = ? WHERE id = ?`, ts(now), tokenID); err != nil {
			return fmt.Errorf("using link: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, status = 'active', failed_logins = 0, locked_until = NULL WHERE id = ?`, hash, u.ID); err != nil {
			return fmt.Errorf("saving password: %w", err)
		}
		u.Status, u.LockedUntil = StatusActive, nil
		user = u
		return store.Audit(ctx, tx, now, u.Email, "user.password_set", "through "+linkNames[info.Purpose])
	})
	return user, err
}

func checkNewPassword(password, retype string, personal ...string) error {
	var v apperr.Validation
	if msg := CheckPasswordStrength(password, personal...); msg != "" {
		v.Add(FieldPassword, msg)
	}
	if retype != password {
		v.Add(FieldRetypePassword, "The two passwords are not the same. Type the same password twice.")
	}
	return v.Err()
}

// ErrBadLogin is the one message for any wrong email/password combination.
var ErrBadLogin = errors.New("the email address or password is incorrect")

// LockedError says until when an account is locked.
type LockedError struct{ Until time.Time }

func (e LockedError) Error() string {
	return fmt.Sprintf("this account is locked after %d failed log-in attempts. Try again after %s, or ask an admin to reset your password",
		MaxFailedLogins, e.Until.Format("15:04 MST on 2 Jan"))
}

// Login checks an email and password. Five failures lock the account for 15 minutes.
func (s *Service) Login(ctx context.Context, email, password string) (User, error) {
	email = strings.TrimSpace(email)
	if email == "" || password == "" {
		var v apperr.Validation
		if email == "" {
			v.Add(FieldLoginEmail, "Enter your email address.")
		}
		if password == "" {
			v.Add(FieldPassword, "Enter your password.")
		}
		return User{}, v.Err()
	}
	now := s.now()
	var hash sql.NullString
	var failed int
	u, err := scanUser(s.store.DB.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the time a real check takes, so response time does not reveal which
		// addresses have accounts.
		_, _ = VerifyPassword(dummyHash, password)
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, fmt.Errorf("reading user: %w", err)
	}
	if err := s.store.DB.QueryRowContext(ctx, `SELECT password_hash, failed_logins FROM users WHERE id = ?`, u.ID).Scan(&hash, &failed); err != nil {
		return User{}, fmt.Errorf("reading user: %w", err)
	}
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return User{}, LockedError{Until: u.LockedUntil.In(s.Location(ctx))}
	}
	ok := false
	if hash.Valid {
		if ok, err = VerifyPassword(hash.String, password); err != nil {
			return User{}, fmt.Errorf("checking password: %w", err)
		}
	} else {
		_, _ = VerifyPassword(dummyHash, password)
	}
	if !ok || u.Status != StatusActive {
		if !ok {
			return User{}, s.recordFailure(ctx, u, failed, now)
		}
		if u.Status == StatusDisabled {
			return User{}, errors.New("this account is disabled: ask an admin to enable it")
		}
		return User{}, ErrBadLogin
	}
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?`, ts(now), u.ID); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, u.Email, "user.login", "")
	})
	if err != nil {
		return User{}, fmt.Errorf("recording log-in: %w", err)
	}
	u.LastLoginAt, u.LockedUntil = &now, nil
	return u, nil
}

var dummyHash, _ = HashPassword("not a real password, used to equalise timing")

func (s *Service) recordFailure(ctx context.Context, u User, failed int, now time.Time) error {
	failed++
	var locked *time.Time
	if failed >= MaxFailedLogins {
		until := now.Add(LockoutDuration)
		locked, failed = &until, 0
	}
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		var lockedVal any
		if locked != nil {
			lockedVal = ts(*locked)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`, failed, lockedVal, u.ID); err != nil {
			return err
		}
		if locked != nil {
			return store.Audit(ctx, tx, now, u.Email, "user.locked", fmt.Sprintf("%d failed log-in attempts", MaxFailedLogins))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("recording failed log-in: %w", err)
	}
	if locked != nil {
		return LockedError{Until: locked.In(s.Location(ctx))}
	}
	return ErrBadLogin
}
