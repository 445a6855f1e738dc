package pass

import (
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

func TestEligible(t *testing.T) {
	cleared := roster.Status{Phase: roster.Cleared}
	for _, tc := range []struct {
		name string
		h    Holder
		ok   bool
		want string
	}{
		{"cleared with a notice", Holder{Name: "张三", NoticeValid: true, Clock: cleared}, true, ""},
		{"monitored (variant D: at work, checked twice a day)", Holder{Name: "张三", NoticeValid: true, Clock: roster.Status{Phase: roster.Monitoring}}, true, ""},
		{"left", Holder{Name: "张三", Left: true, NoticeValid: true, Clock: cleared}, false, "张三已离职,不能办理出入证"},
		{"no notice", Holder{Name: "张三", Clock: cleared}, false, "企业尚未取得有效的复工通知书,严禁复工,不能办理出入证"},
		{"isolating", Holder{Name: "张三", NoticeValid: true, Clock: roster.Status{Phase: roster.Isolating, Reason: "省外返回"}}, false, "张三:" + roster.PhaseNames[roster.Isolating][0] + ",不能办理出入证(省外返回)"},
		{"advised not to return", Holder{Name: "张三", NoticeValid: true, Clock: roster.Status{Phase: roster.AdvisedNotReturn}}, false, ""},
		{"not back yet", Holder{Name: "张三", NoticeValid: true, Clock: roster.Status{Phase: roster.NotReturned}}, false, ""},
	} {
		err := Eligible(tc.h)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.name, err)
			continue
		}
		if err != nil {
			e, _ := apperr.As(err)
			if e.Kind != apperr.Invalid || len(e.Problems) != 1 || e.Problems[0].Field != "employee_id" {
				t.Errorf("%s: %#v", tc.name, e)
			}
			if tc.want != "" && e.Problems[0].Message != tc.want {
				t.Errorf("%s: message %q, want %q", tc.name, e.Problems[0].Message, tc.want)
			}
		}
	}
}

func TestTransitions(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		kind apperr.Kind
	}{
		{"approve a request", CanApprove(1, Requested), 0},
		{"approve an active pass", CanApprove(1, Active), apperr.Conflict},
		{"reactivate a suspended pass", CanReactivate(Suspended, 0, false), 0},
		{"reactivate with a follow-up open", CanReactivate(Suspended, 1, false), apperr.Conflict},
		{"reactivate an active pass", CanReactivate(Active, 0, false), apperr.Conflict},
		{"reactivate a revoked pass", CanReactivate(Revoked, 0, false), apperr.Conflict},
		{"renew an expired pass", CanReactivate(Active, 0, true), 0},
		{"reactivate a suspended, expired pass", CanReactivate(Suspended, 0, true), 0},
		{"renew with a follow-up open", CanReactivate(Active, 1, true), apperr.Conflict},
		{"renew a revoked, expired pass", CanReactivate(Revoked, 0, true), apperr.Conflict},
		{"renew a request", CanReactivate(Requested, 0, true), apperr.Conflict},
		{"request for someone without a pass", CanRequest("张三", 0), 0},
		{"request twice", CanRequest("张三", 1), apperr.Conflict},
		{"status filter", CheckStatus("suspended"), 0},
		{"status filter: any", CheckStatus(""), 0},
		{"status filter: unknown", CheckStatus("bogus"), apperr.Invalid},
	} {
		if tc.kind == 0 {
			if tc.err != nil {
				t.Errorf("%s: %v", tc.name, tc.err)
			}
			continue
		}
		if k := apperr.KindOf(tc.err); k != tc.kind {
			t.Errorf("%s: kind %v, want %v (%v)", tc.name, k, tc.kind, tc.err)
		}
	}
}

func TestRevokeReason(t *testing.T) {
	for in, want := range map[string]string{"": ReasonManual, ReasonManual: ReasonManual, ReasonLeft: ReasonLeft} {
		if got, err := RevokeReason(in); err != nil || got != want {
			t.Errorf("RevokeReason(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{ReasonFever, ReasonNoticeRevoked, "bogus"} {
		if _, err := RevokeReason(in); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("RevokeReason(%q) = %v, want invalid", in, err)
		}
	}
}

func TestStandingOf(t *testing.T) {
	for _, tc := range []struct {
		status string
		notice bool
		want   Standing
	}{
		{Active, true, Standing{Found: true, Valid: true}},
		{Requested, true, Standing{}},
		{Active, false, Standing{Found: true}},
		{Suspended, true, Standing{Found: true}},
		{Revoked, false, Standing{Found: true}},
		{Revoked, true, Standing{Found: true}},
		{Suspended, false, Standing{Found: true}},
		{Requested, false, Standing{}},
	} {
		if got := StandingOf(tc.status, tc.notice); got != tc.want {
			t.Errorf("StandingOf(%s, %v) = %+v, want %+v", tc.status, tc.notice, got, tc.want)
		}
	}
	// The public words of a pass not in force name no reason, in either language.
	for _, reason := range []string{ReasonFever, ReasonSymptom, ReasonMissedChecks, ReasonLeft, ReasonManual} {
		zh, en := ReasonName(reason)
		if strings.Contains(NotInForce[0], zh) || strings.Contains(NotInForce[1], en) {
			t.Errorf("the public words %q tell the reason %s", NotInForce, reason)
		}
	}
	if !strings.Contains(NotInForce[0], "出入证已暂停或撤销") || NotInForce[1] == "" {
		t.Errorf("NotInForce = %q", NotInForce)
	}
}

func TestOwn(t *testing.T) {
	now := time.Date(2020, 2, 24, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai
	// Valid until the end of the day, or expired at the midnight that began it.
	valid, over := time.Date(2020, 2, 24, 16, 0, 0, 0, time.UTC), time.Date(2020, 2, 23, 16, 0, 0, 0, time.UTC)
	p := func(status, reason string) *Pass { return &Pass{Status: status, Reason: reason, ExpiresAt: &valid} }
	expired := func(status, reason string) *Pass { return &Pass{Status: status, Reason: reason, ExpiresAt: &over} }
	for _, tc := range []struct {
		name   string
		p      *Pass
		left   bool
		notice bool
		state  string
		zh     string
	}{
		{"valid", p(Active, ""), false, true, StateOK, "出入证有效,准予通行"},
		{"none, left", nil, true, true, StateLeft, "已离职"},
		{"none, no notice", nil, false, false, StateNoNotice, "企业尚未取得有效的复工通知书,严禁复工,暂不能办理出入证"},
		{"none", nil, false, true, StateNoPass, "尚无出入证,请联系企业防疫专人办理"},
		{"requested", p(Requested, ""), false, true, StateNotApproved, "出入证已申请,等待网格长批准"},
		{"fever", p(Suspended, ReasonFever), false, true, StateSuspended, "出入证已暂停:体温异常(发热)"},
		{"revoked by hand", p(Revoked, ReasonManual), false, true, StateRevoked, "出入证已撤销:人工撤销"},
		{"active but left", p(Active, ""), true, true, StateLeft, "已离职"},
		{"active, notice revoked", p(Active, ""), false, false, StateNoNotice, "企业复工通知书已撤销,严禁复工"},
		{"suspension before the notice", p(Suspended, ReasonMissedChecks), false, false, StateSuspended, "出入证已暂停:未按规定完成每日体温检测"},
		{"expired", expired(Active, ""), false, true, StateExpired, "出入证已过期(有效期至2020年2月23日),请联系企业防疫专人续办"},
		{"expired before suspended, as at the gate", expired(Suspended, ReasonFever), false, true, StateExpired, "出入证已过期(有效期至2020年2月23日),请联系企业防疫专人续办"},
		{"a request has no expiry yet", &Pass{Status: Requested}, false, true, StateNotApproved, "出入证已申请,等待网格长批准"},
	} {
		state, zh, en := Own(tc.p, tc.left, tc.notice, now, shanghai(t))
		if state != tc.state || zh != tc.zh || en == "" {
			t.Errorf("%s: Own = %s %q %q, want %s %q", tc.name, state, zh, en, tc.state, tc.zh)
		}
	}
}

func TestNewMe(t *testing.T) {
	h := policy.Default().Health
	m := NewMe("2020-02-20", h)
	if m.FeverLine != h.FeverLine || m.ChecksPerDay != h.ChecksPerDay || m.Today == nil || m.Day != "2020-02-20" {
		t.Errorf("NewMe = %+v", m)
	}
}

func TestMissedChecksDay(t *testing.T) {
	loc := policy.Default().Location() // Asia/Shanghai: midnight is 16:00 UTC
	for _, tc := range []struct {
		now time.Time
		day string
		due bool
	}{
		{time.Date(2020, 2, 20, 16, 5, 0, 0, time.UTC), "2020-02-20", false}, // 00:05 on the 21st: readings still arriving
		{time.Date(2020, 2, 20, 16, 10, 0, 0, time.UTC), "2020-02-20", true},
		{time.Date(2020, 2, 21, 3, 0, 0, 0, time.UTC), "2020-02-20", true},
	} {
		day, due := MissedChecksDay(tc.now, loc)
		if got := roster.FormatDate(day, loc); got != tc.day || due != tc.due {
			t.Errorf("MissedChecksDay(%v) = %s %v, want %s %v", tc.now, got, due, tc.day, tc.due)
		}
	}
}

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// A pass is valid for the policy's days counting the day of issue, to midnight in the
// policy's time zone at the end of the last one.
func TestExpiry(t *testing.T) {
	loc := shanghai(t)
	h := policy.Health{PassValidDays: 14}
	at := func(day, hour int) time.Time { return time.Date(2020, 2, day, hour, 0, 0, 0, loc) }
	for _, tc := range []struct {
		name    string
		issued  time.Time
		days    int
		want    time.Time
		lastDay int
	}{
		{"issued in the morning", at(10, 9), 14, at(24, 0), 23},
		{"issued just before midnight", time.Date(2020, 2, 10, 23, 59, 59, 0, loc), 14, at(24, 0), 23},
		{"issued at midnight", at(10, 0), 14, at(24, 0), 23},
		{"issued late in UTC, the next day in Shanghai", time.Date(2020, 2, 10, 17, 0, 0, 0, time.UTC), 14, at(25, 0), 24},
		{"one day", at(10, 15), 1, at(11, 0), 10},
		{"across the month", at(20, 8), 14, time.Date(2020, 3, 5, 0, 0, 0, 0, loc), 4},
	} {
		h.PassValidDays = tc.days
		got := Expiry(tc.issued, h, loc)
		if !got.Equal(tc.want) {
			t.Errorf("%s: Expiry = %v, want %v", tc.name, got, tc.want)
		}
		if d := LastDay(got, loc); d.Day() != tc.lastDay {
			t.Errorf("%s: last day %v, want the %d", tc.name, d, tc.lastDay)
		}
		p := Pass{ExpiresAt: &got}
		if p.Expired(got.Add(-time.Nanosecond)) || !p.Expired(got) || !p.Expired(got.Add(time.Hour)) {
			t.Errorf("%s: expired around %v", tc.name, got)
		}
	}
	if (Pass{}).Expired(time.Now()) {
		t.Error("a pass without expiry (not issued yet) is expired")
	}
	zh, en := ExpiredWords(at(24, 0), loc)
	if !strings.Contains(zh, "2020年2月23日") || !strings.Contains(en, "23 February 2020") {
		t.Errorf("ExpiredWords: %q %q", zh, en)
	}
}

func TestSuperseded(t *testing.T) {
	issued := time.Date(2020, 2, 10, 8, 30, 15, 0, time.UTC)
	for _, tc := range []struct {
		name        string
		token, pass time.Time
		want        bool
	}{
		{"the token of the current issue", issued, issued.Add(123456 * time.Microsecond), false},
		{"the same second", issued, issued, false},
		{"re-issued later", issued, issued.Add(3 * 24 * time.Hour), true},
		{"re-issued a second later", issued, issued.Add(time.Second), true},
	} {
		if got := Superseded(tc.token, tc.pass); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if zh, en := ReasonName(ReasonReissued); zh == ReasonReissued || en == ReasonReissued {
		t.Error("the re-issued reason has no words")
	}
}
