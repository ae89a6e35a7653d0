package manageconn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cwm-webroot/backend/manage"
	"cwm-webroot/backend/store"
)

// ErrAgreementNotWritable refuses to add to an agreement the app may not write to.
var ErrAgreementNotWritable = errors.New("additions can be created only on an active agreement in the ConnectWise data: refresh it or choose another agreement")

// CreateAddition adds a product to an agreement (quantity 0: the next sync sets it) and
// caches the new addition so it can be mapped at once. It is an explicit, opt-in action: the
// app otherwise adopts the additions that exist.
func (s *Service) CreateAddition(ctx context.Context, actor string, agreementID, catalogID int) (Addition, error) {
	var blocked string
	err := s.store.DB.QueryRowContext(ctx, `SELECT blocked_reason FROM manage_agreements WHERE id = ?`, agreementID).Scan(&blocked)
	if errors.Is(err, sql.ErrNoRows) || err == nil && blocked != "" {
		return Addition{}, ErrAgreementNotWritable
	}
	if err != nil {
		return Addition{}, fmt.Errorf("reading agreement %d: %w", agreementID, err)
	}
	var ident, desc string
	var inactive bool
	err = s.store.DB.QueryRowContext(ctx, `SELECT identifier, description, inactive FROM manage_catalog WHERE id = ?`, catalogID).Scan(&ident, &desc, &inactive)
	if errors.Is(err, sql.ErrNoRows) || err == nil && inactive {
		return Addition{}, fmt.Errorf("catalog item %d is not an active product in the ConnectWise data", catalogID)
	}
	if err != nil {
		return Addition{}, fmt.Errorf("reading catalog item %d: %w", catalogID, err)
	}
	client, err := s.Client(ctx)
	if err != nil {
		return Addition{}, err
	}
	created, err := client.CreateAddition(ctx, agreementID, manage.NewAddition{ProductID: catalogID, Quantity: 0, BillCustomer: "Billable"})
	if err != nil {
		return Addition{}, fmt.Errorf("creating the %s addition on agreement %d: %s", ident, agreementID, UserMessage(err))
	}
	add := Addition{ID: created.ID, AgreementID: agreementID, ProductID: catalogID, ProductIdentifier: ident, ProductDescription: desc,
		Description: created.Description, Quantity: created.Quantity, BillCustomer: created.BillCustomer}
	err = s.store.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO manage_additions(id, agreement_id, product_id, product_identifier, description,
			quantity, bill_customer) VALUES(?, ?, ?, ?, ?, ?, ?)`, add.ID, agreementID, catalogID, ident, add.Description, add.Quantity, add.BillCustomer); err != nil {
			return err
		}
		return store.Audit(ctx, tx, s.env.Time(), actor, "manage.addition_created", fmt.Sprintf("%s (#%d) on agreement %d", ident, add.ID, agreementID))
	})
	if err != nil {
		return add, fmt.Errorf("the addition #%d was created in Manage but not saved here: refresh the ConnectWise data: %w", add.ID, err)
	}
	return add, nil
}
