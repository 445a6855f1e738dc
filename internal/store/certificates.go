package store

import (
	"context"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/roster"
)

// Certificate returns the certificate on file for an employee in scope. An employee
// outside the scope, or one without a certificate, is not found.
func (h *Roster) Certificate(ctx context.Context, actor auth.Principal, employeeID int64) (roster.Certificate, error) {
	s := h.s
	if !actor.Can(auth.RosterView) {
		return roster.Certificate{}, apperr.NewForbidden()
	}
	var w where
	if err := s.DB.enterpriseScope(ctx, actor, &w); err != nil {
		return roster.Certificate{}, err
	}
	w.add("m.id = ?", employeeID)
	c := roster.Certificate{EmployeeID: employeeID}
	var at *time.Time
	var by *int64
	err := s.DB.queryRow(ctx, `SELECT m.cert_sha256, m.cert_name, m.cert_content_type, m.cert_size, m.cert_uploaded_at, m.cert_uploaded_by,
		COALESCE(NULLIF(u.display_name, ''), u.username, '')`+employeeFrom+` LEFT JOIN users u ON u.id = m.cert_uploaded_by`+w.sql(), w.args...).
		Scan(&c.SHA256, &c.Name, &c.ContentType, &c.Size, &at, &by, &c.UploadedByName)
	if err != nil {
		return roster.Certificate{}, notFound(err, "员工")
	}
	if c.SHA256 == "" {
		return roster.Certificate{}, &apperr.Error{Kind: apperr.NotFound, Message: "该员工尚未上传网格长出具的封闭期间情况证明",
			MessageEN: "No home grid certificate has been uploaded for this employee"}
	}
	if at != nil {
		c.UploadedAt = at.UTC()
	}
	if by != nil {
		c.UploadedBy = *by
	}
	return c, nil
}

// SetCertificate records the certificate of an employee in scope, replacing the one on
// file; the file must already be in the file store. The change and its audit row commit
// together.
func (h *Roster) SetCertificate(ctx context.Context, actor auth.Principal, employeeID int64, c roster.Certificate) (roster.Certificate, error) {
	s := h.s
	if !actor.Can(auth.RosterEdit) {
		return roster.Certificate{}, apperr.NewForbidden()
	}
	it, err := s.Roster().Get(ctx, actor, employeeID)
	if err != nil {
		return roster.Certificate{}, err
	}
	var ps apperr.Problems
	if len(c.SHA256) != 64 {
		ps.Add("file", "请选择要上传的证明文件", "Choose the certificate file to upload")
	}
	if c.Name == "" {
		ps.Add("file", "文件名不能为空", "The file needs a name")
	}
	if err := ps.Err(); err != nil {
		return roster.Certificate{}, err
	}
	var by any
	if actor.UserID != 0 {
		by = actor.UserID
	}
	err = s.DB.write(ctx, func(tx *txn) error {
		var old string
		if err := tx.queryRow(`SELECT cert_sha256 FROM employees WHERE id = ?`, employeeID).Scan(&old); err != nil {
			return notFound(err, "员工")
		}
		if _, err := tx.exec(`UPDATE employees SET cert_sha256 = ?, cert_name = ?, cert_content_type = ?, cert_size = ?,
			cert_uploaded_at = ?, cert_uploaded_by = ?, updated_at = ? WHERE id = ?`,
			c.SHA256, c.Name, c.ContentType, c.Size, tx.now(), by, tx.now(), employeeID); err != nil {
			return err
		}
		action := "employee.certificate.upload"
		if old != "" {
			action = "employee.certificate.replace"
		}
		sum := map[string]any{"name": it.Name, "id_masked": it.IDMasked, "enterprise_id": it.EnterpriseID,
			"sha256": c.SHA256, "content_type": c.ContentType, "size": c.Size}
		if old != "" {
			sum["replaced_sha256"] = old
		}
		return tx.audit(actor, action, "employee", employeeID, sum)
	})
	if err != nil {
		return roster.Certificate{}, err
	}
	return s.Roster().Certificate(ctx, actor, employeeID)
}
