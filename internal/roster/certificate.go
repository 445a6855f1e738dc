package roster

import "time"

// The certificate filter of the roster.
const (
	CertificateMissing = "missing" // no home grid certificate on file
	CertificatePresent = "present" // a certificate on file
)

// Certificate is an employee's home grid certificate (网格长出具的封闭期间情况证明): the
// village or community grid leader's statement of the person's 14-day trajectory, contact
// history and the health of the person and those living with them. The file itself lives
// in the content-addressed file store under SHA256.
type Certificate struct {
	EmployeeID     int64     `json:"employee_id"`
	SHA256         string    `json:"sha256"`
	Name           string    `json:"name"`
	ContentType    string    `json:"content_type"`
	Size           int64     `json:"size"`
	UploadedAt     time.Time `json:"uploaded_at"`
	UploadedBy     int64     `json:"uploaded_by,omitempty"`
	UploadedByName string    `json:"uploaded_by_name"`
}
