package roster

import "fugong/internal/list"

// Item is an employee of a list with the clock's status today.
type Item struct {
	Employee
	Status Status `json:"status"`
}

// Filter selects employees; every field is optional.
type Filter struct {
	EnterpriseID  int64
	Q             string // name, phone or department; an exact ID number is looked up by its index
	Phase         Phase  // computed in Go
	Certificate   string // CertificateMissing or CertificatePresent: the home grid certificate
	WithoutPass   bool   // only the people holding no pass but revoked ones: whom a pass may be asked for
	NoticeInForce bool   // only the people of enterprises whose resumption notice is in force (neither revoked nor suspended), without which a pass is refused
	Page          list.Page
}
