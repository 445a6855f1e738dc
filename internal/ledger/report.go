package ledger

import (
	"time"

	"fugong/internal/apperr"
	"fugong/internal/application"
	"fugong/internal/auth"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/roster"
)

// DailyReport is an enterprise's daily report (疫情日报告): the figures of one day in the
// policy's time zone, computed from the data, and once the enterprise admin confirms it,
// the confirmed figures with the confirmer and the time. A confirmed report with nothing
// to report — no fever, no suspended pass, nobody isolating — is a zero report (零报告).
type DailyReport struct {
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
	Day            string `json:"date"`
	// OnSite are the people at work: the roster's cleared and monitoring people.
	OnSite     int `json:"on_site"`
	Isolating  int `json:"isolating"`
	Monitoring int `json:"monitoring"`
	// Fevers are the people with a reading at or above the fever line, or a symptom, that
	// day; PassesSuspended the passes suspended by the end of the day and still suspended
	// when it is computed (or confirmed).
	Fevers          int `json:"fevers"`
	PassesSuspended int `json:"passes_suspended"`
	// MaskStock is the masks in stock at the end of the day; CoverDays how many days they
	// last for the people on site (−1 when nobody is on site); CoverWarning that it is
	// below the policy's reserve days.
	MaskStock    int64      `json:"mask_stock"`
	CoverDays    float64    `json:"cover_days"`
	CoverWarning bool       `json:"cover_warning"`
	Zero         bool       `json:"zero_report"`
	Confirmed    bool       `json:"confirmed"`
	ConfirmedBy  string     `json:"confirmed_by,omitempty"`
	ConfirmedAt  *time.Time `json:"confirmed_at,omitempty"`
	Note         string     `json:"note,omitempty"`
}

// ReportFilter selects the daily reports of a day.
type ReportFilter struct {
	Day          string // YYYY-MM-DD; today when empty
	EnterpriseID int64  // one enterprise; all in scope when 0
	Page         list.Page
}

// Count adds a person in phase on the report's day: cleared and monitored people are on
// site, monitored ones counted again as such; isolating people are counted apart.
func (r *DailyReport) Count(p roster.Phase) {
	switch p {
	case roster.Cleared:
		r.OnSite++
	case roster.Monitoring:
		r.OnSite++
		r.Monitoring++
	case roster.Isolating:
		r.Isolating++
	}
}

// Conclude derives what follows from the counted figures: how long the masks last for the
// people on site (−1 when nobody is), whether that is below the policy's reserve days
// (judged on the rounded figure, as a confirmed report read back is), and whether it is a
// zero report.
func (r *DailyReport) Conclude(pol *policy.Policy) {
	r.CoverDays = -1
	if per := DailyUse(pol, application.ItemMasks); r.OnSite > 0 && per > 0 {
		r.CoverDays = Round1(Cover(r.MaskStock, r.OnSite, per))
	}
	r.JudgeCover(pol)
	r.Zero = r.Fevers == 0 && r.PassesSuspended == 0 && r.Isolating == 0
}

// JudgeCover sets CoverWarning from CoverDays: masks for fewer days than the policy's
// reserve (seed, variant D: 「须满足复工人员防控所需7天以上的用量」), somebody being on site.
func (r *DailyReport) JudgeCover(pol *policy.Policy) {
	r.CoverWarning = r.CoverDays >= 0 && r.CoverDays < float64(pol.Resumption.SuppliesReserveDays)
}

// ParseDay reads a day written YYYY-MM-DD as midnight in loc.
func ParseDay(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, err == nil
}

// ReportDay reads the day a report is asked for (today when empty).
func ReportDay(s, today string, loc *time.Location) (time.Time, string, error) {
	if s == "" {
		s = today
	}
	day, ok := ParseDay(s, loc)
	if !ok {
		return day, s, apperr.NewInvalid("date", "日期格式不正确,请填写如 2020-02-12", "Unreadable date; write it as 2020-02-12")
	}
	return day, s, nil
}

// MayConfirm refuses a role that may not confirm a daily report: the enterprise's own
// admin confirms it (and the system administrator, for an enterprise that cannot), never
// an official, who reads it.
func MayConfirm(r auth.Role) error {
	if r == auth.Enterprise || r == auth.Admin {
		return nil
	}
	return &apperr.Error{Kind: apperr.Forbidden, Message: "日报由企业管理员确认上报", MessageEN: "The daily report is confirmed by the enterprise's admin"}
}

// CheckConfirmable refuses confirming the report of a day that has not come (days are
// YYYY-MM-DD, which compare as text) or one already confirmed (confirmed counts them).
func CheckConfirmable(day, today string, confirmed int) error {
	if day > today {
		return apperr.NewInvalid("date", "不能确认未来日期的日报", "A day that has not come cannot be reported")
	}
	if confirmed > 0 {
		return apperr.NewConflict("该日日报已确认上报", "The daily report of that day is already confirmed")
	}
	return nil
}
