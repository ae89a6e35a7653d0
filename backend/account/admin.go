package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"cwm-webroot/backend/apperr"
	"cwm-webroot/backend/store"
)

// Labels of the invite form.
const (
	FieldInviteEmail = "Email Address"
	FieldInviteName  = "Name"
	FieldInviteRole  = "Role"
)

// InviteInput is the admin's invite form.
type InviteInput struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

// ErrNotAdmin refuses user administration to non-admins.
var ErrNotAdmin = errors.New("only an admin can manage users")

// ErrLastAdmin protects the installation from losing its last active admin.
var ErrLastAdmin = errors.New("this is the last active admin: make another user an admin first")

func requireAdmin(actor User) error {
	if actor.Role != RoleAdmin || actor.Status != StatusActive {
		return ErrNotAdmin
	}
	return nil
}

// Invite creates a pending user and sends (or hands over) an invitation link.
func (s *Service) Invite(ctx context.Context, actor User, in InviteInput) (LinkOutcome, error) {
	if err := requireAdmin(actor); err != nil {
		return LinkOutcome{}, err
	}
	in.Email, in.Name = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	if in.Role == "" {
		in.Role = RoleUser
	}
	var v apperr.Validation
	if msg := checkEmail(in.Email); msg != "" {
		v.Add(FieldInviteEmail, msg)
	}
	if in.Name == "" {
		v.Add(FieldInviteName, "Enter the person's name.")
	}
	if in.Role != RoleAdmin && in.Role != RoleUser {
		v.Add(FieldInviteRole, "Choose Admin or User.")
	}
	if err := v.Err(); err != nil {
		return LinkOutcome{}, err
	}
	now := s.now()
	var u User
	var token string
	err := s.store.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, in.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.FieldError{Field: FieldInviteEmail, Message: "A user with this email address already exists."}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users(email, name, role, status, created_at) VALUES(?, ?, ?, 'pending', ?)`, in.Email, in.Name, in.Role, ts(now))
		if err != nil {
			return fmt.Errorf("saving user: %w", err)
		}
		id, _ := res.LastInsertId()
		u = User{ID: id, Email: in.Email, Name: in.Name, Role: in.Role, Status: StatusPending, CreatedAt: now}
		if token, err = issueToken(ctx, tx, id, PurposeInvite, now); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, actor.Email, "user.invited", in.Email+" as "+in.Role)
	})
	if err != nil {
		return LinkOutcome{}, err
	}
	c, _, _ := s.Company(ctx)
	return s.deliver(ctx, PurposeInvite, u, c.Name, actor.Name, token, now)
}

// ResendInvite issues a new invitation link for a pending user.
func (s *Service) ResendInvite(ctx context.Context, actor User, userID int64) (LinkOutcome, error) {
	return s.issueFor(ctx, actor, userID, PurposeInvite)
}

// ResetPassword sends (or hands over) a password reset link for a user, on an admin's
// request. The current password keeps working until the link is used.
func (s *Service) ResetPassword(ctx context.Context, actor User, userID int64) (LinkOutcome, error) {
	return s.issueFor(ctx, actor, userID, PurposeReset)
}

func (s *Service) issueFor(ctx context.Context, actor User, userID int64, purpose string) (LinkOutcome, error) {
	if err := requireAdmin(actor); err != nil {
		return LinkOutcome{}, err
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return LinkOutcome{}, err
	}
	if u.Status == StatusDisabled {
		return LinkOutcome{}, errors.New("enable this user first")
	}
	if purpose == PurposeInvite && u.Status != StatusPending {
		purpose = PurposeReset
	}
	now := s.now()
	var token string
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if token, err = issueToken(ctx, tx, u.ID, purpose, now); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, actor.Email, "user."+purpose+"_link", u.Email)
	})
	if err != nil {
		return LinkOutcome{}, err
	}
	c, _, _ := s.Company(ctx)
	return s.deliver(ctx, purpose, u, c.Name, actor.Name, token, now)
}

// ForgotPassword emails a reset link when mail is configured. It reports success for
// unknown addresses too, so the screen does not reveal who has an account.
func (s *Service) ForgotPassword(ctx context.Context, email string) error {
	if !s.mailConfigured(ctx) {
		return errors.New("outgoing email is not set up on this computer: ask an admin to reset your password, or run `cwm-webroot users reset-password EMAIL`")
	}
	email = strings.TrimSpace(email)
	if msg := checkEmail(email); msg != "" {
		return apperr.FieldError{Field: FieldLoginEmail, Message: msg}
	}
	u, err := scanUser(s.store.DB.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) || err == nil && u.Status == StatusDisabled {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading user: %w", err)
	}
	now := s.now()
	var token string
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if token, err = issueToken(ctx, tx, u.ID, PurposeReset, now); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, u.Email, "user.reset_link", "requested from the log-in screen")
	})
	if err != nil {
		return err
	}
	c, _, _ := s.Company(ctx)
	_, err = s.deliver(ctx, PurposeReset, u, c.Name, "", token, now)
	return err
}

// SetDisabled disables or enables a user. The last active admin cannot be disabled.
func (s *Service) SetDisabled(ctx context.Context, actor User, userID int64, disabled bool) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	now := s.now()
	return s.store.Tx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
		if err != nil {
			return fmt.Errorf("user %d: %w", userID, store.ErrNotFound)
		}
		status := StatusDisabled
		if !disabled {
			status = StatusActive
			var hasPassword bool
			if err := tx.QueryRowContext(ctx, `SELECT password_hash IS NOT NULL FROM users WHERE id = ?`, userID).Scan(&hasPassword); err != nil {
				return err
			}
			if !hasPassword {
				status = StatusPending
			}
		} else if err := ensureOtherAdmin(ctx, tx, u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET status = ? WHERE id = ?`, status, userID); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, actor.Email, "user."+map[bool]string{true: "disabled", false: "enabled"}[disabled], u.Email)
	})
}

// Remove deletes a user. The last active admin cannot be removed.
func (s *Service) Remove(ctx context.Context, actor User, userID int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	now := s.now()
	return s.store.Tx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
		if err != nil {
			return fmt.Errorf("user %d: %w", userID, store.ErrNotFound)
		}
		if err := ensureOtherAdmin(ctx, tx, u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, userID); err != nil {
			return err
		}
		return store.Audit(ctx, tx, now, actor.Email, "user.removed", u.Email)
	})
}

func ensureOtherAdmin(ctx context.Context, tx *sql.Tx, u User) error {
	if u.Role != RoleAdmin || u.Status != StatusActive {
		return nil
	}
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active' AND id != ?`, u.ID).Scan(&others); err != nil {
		return err
	}
	if others == 0 {
		return ErrLastAdmin
	}
	return nil
}

// SetPasswordDirect sets a password without a link: `cwm-webroot users reset-password`, run
// by the OS user who owns the data folder. It also unlocks and activates the account.
func (s *Service) SetPasswordDirect(ctx context.Context, email, password string) (User, error) {
	u, err := scanUser(s.store.DB.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, strings.TrimSpace(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("no user has the email address %q", email)
	}
	if err != nil {
		return u, fmt.Errorf("reading user: %w", err)
	}
	c, _, _ := s.Company(ctx)
	if err := checkNewPassword(password, password, u.Email, u.Name, c.Name); err != nil {
		return u, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return u, err
	}
	now := s.now()
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		status := u.Status
		if status == StatusPending {
			status = StatusActive
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, status = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`, hash, status, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_tokens WHERE user_id = ? AND used_at IS NULL AND purpose = 'reset'`, u.ID); err != nil {
			return err
		}
		u.Status = status
		return store.Audit(ctx, tx, now, "command line", "user.password_reset", u.Email)
	})
	return u, err
}
