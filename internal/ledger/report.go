package ledger

import (
	"fugong/internal/list"
	"time"
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
