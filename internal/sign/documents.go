package sign

import "time"

// SignNotice signs the token of a resumption notice. It has no expiry: a notice stays
// valid until it is revoked, which only online verification can tell.
func (s *Signer) SignNotice(id int64, serial, enterprise string, enterpriseID int64, issued time.Time) (string, error) {
	return s.Sign(Claims{Kind: NoticeKind, ID: id, Serial: serial, Subject: enterprise, SubjectID: enterpriseID, IssuedAt: issued})
}

// SignBusLetter signs the token of a commuter-bus letter.
func (s *Signer) SignBusLetter(id int64, serial, plate string, enterpriseID int64, issued time.Time) (string, error) {
	return s.Sign(Claims{Kind: BusLetterKind, ID: id, Serial: serial, Subject: plate, SubjectID: enterpriseID, IssuedAt: issued})
}
