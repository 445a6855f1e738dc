package auth

import "testing"

// Only staff accounts have a page of their own pass: the other roles reach passes through
// the roster, and an account is linked to a person only when it is a staff account.
func TestOwnPassIsStaffOnly(t *testing.T) {
	for _, r := range Roles {
		if got, want := Can(r, OwnPass), r == Staff; got != want {
			t.Errorf("Can(%s, %s) = %v, want %v", r, OwnPass, got, want)
		}
	}
	if !Can(Staff, HealthDeclare) {
		t.Error("staff cannot declare: the My pass page would not record")
	}
}
