package roster

import (
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

func TestCheckLink(t *testing.T) {
	left := time.Date(2020, 2, 20, 0, 0, 0, 0, time.UTC)
	person := Employee{ID: 7, Name: "张三"}
	ok := Link{Person: person, Found: true, Username: "zhang", Role: auth.Staff}
	with := func(f func(*Link)) Link { l := ok; f(&l); return l }
	for _, tc := range []struct {
		name  string
		l     Link
		done  bool
		kind  apperr.Kind
		field string
	}{
		{"a free staff account", ok, false, 0, ""},
		{"linked already", with(func(l *Link) { l.LinkedTo = 7 }), true, 0, ""},
		{"another enterprise's, or none", with(func(l *Link) { l.Found = false }), false, apperr.Invalid, "user_id"},
		{"not a staff account", with(func(l *Link) { l.Role = auth.Guard }), false, apperr.Invalid, "user_id"},
		{"disabled", with(func(l *Link) { l.Disabled = true }), false, apperr.Invalid, "user_id"},
		{"linked to somebody else", with(func(l *Link) { l.LinkedTo = 8 }), false, apperr.Conflict, ""},
		{"the person left", with(func(l *Link) { l.Person.LeftAt = &left }), false, apperr.Invalid, "employee_id"},
		{"the person has another account", with(func(l *Link) { l.PersonLinked = "zhang2" }), false, apperr.Conflict, ""},
		{"unknown beats everything", with(func(l *Link) { l.Found, l.Role, l.Disabled = false, auth.Guard, true }), false, apperr.Invalid, "user_id"},
	} {
		done, err := CheckLink(tc.l)
		if done != tc.done || apperr.KindOf(err) != tc.kind && !(tc.kind == 0 && err == nil) {
			t.Errorf("%s: done %v err %v", tc.name, done, err)
			continue
		}
		if tc.field != "" {
			if e, _ := apperr.As(err); len(e.Problems) != 1 || e.Problems[0].Field != tc.field {
				t.Errorf("%s: %v, want a problem on %s", tc.name, err, tc.field)
			}
		}
	}
	if CheckNewAccount(person) != nil || apperr.KindOf(CheckNewAccount(Employee{Name: "李四", LeftAt: &left})) != apperr.Invalid {
		t.Error("CheckNewAccount")
	}
}
