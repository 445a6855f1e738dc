package dashboard

import (
	"strings"
	"time"

	"fugong/internal/apperr"
)

// ReportLine is one line of the roll-up of daily reports: a region one level down (or,
// at a village, the village itself) with the enterprises asked for a report, those that
// confirmed theirs and the figures they reported.
type ReportLine struct {
	Key        string `json:"key"`
	Name       string `json:"name"`
	Due        int    `json:"due"`      // enterprises asked for a report (allowed to produce)
	Reported   int    `json:"reported"` // of those, confirmed
	OnSite     int    `json:"on_site"`
	Isolating  int    `json:"isolating"`
	Monitoring int    `json:"monitoring"`
	Fevers     int    `json:"fevers"`
	Summarized bool   `json:"summarized"` // the level below confirmed its own summary
}

// Missing is the number of enterprises asked that have not reported.
func (l ReportLine) Missing() int { return max(l.Due-l.Reported, 0) }

// Add adds another line's figures.
func (l *ReportLine) Add(o ReportLine) {
	l.Due += o.Due
	l.Reported += o.Reported
	l.OnSite += o.OnSite
	l.Isolating += o.Isolating
	l.Monitoring += o.Monitoring
	l.Fevers += o.Fevers
}

// Unreported is an enterprise asked for a report that has not confirmed it.
type Unreported struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	RegionName   string `json:"region_name"`
}

// Summary is a level's confirmed summary of the daily reports of a day.
type Summary struct {
	Region      string    `json:"region"`
	Day         string    `json:"day"`
	Due         int       `json:"due"`
	Reported    int       `json:"reported"`
	OnSite      int       `json:"on_site"`
	Isolating   int       `json:"isolating"`
	Monitoring  int       `json:"monitoring"`
	Fevers      int       `json:"fevers"`
	Note        string    `json:"note"`
	ConfirmedBy string    `json:"confirmed_by"`
	ConfirmedAt time.Time `json:"confirmed_at"`
}

// Rollup is the daily reports of a level on a day: a line per level below, the total,
// the enterprises that have not reported and the level's own summary once confirmed.
type Rollup struct {
	Region     string       `json:"region"`
	RegionName string       `json:"region_name"`
	Day        string       `json:"day"`
	Lines      []ReportLine `json:"lines"`
	Total      ReportLine   `json:"total"`
	Unreported []Unreported `json:"unreported"`
	Summary    *Summary     `json:"summary,omitempty"`
}

// Summarize is the level's summary of the roll-up, as confirmed with a note.
func (r Rollup) Summarize(note string) Summary {
	t := r.Total
	return Summary{Region: r.Region, Day: r.Day, Due: t.Due, Reported: t.Reported, OnSite: t.OnSite, Isolating: t.Isolating,
		Monitoring: t.Monitoring, Fevers: t.Fevers, Note: strings.TrimSpace(note)}
}

// CheckSummary says whether a level may confirm its summary: once a day, and while some
// enterprise has not reported, only with a note saying why (the level above reads it).
func CheckSummary(r Rollup, note string) error {
	if r.Summary != nil {
		return apperr.NewConflict("本级当日汇总已确认", "This level's summary of the day is confirmed already")
	}
	if n := r.Total.Missing(); n > 0 && strings.TrimSpace(note) == "" {
		return apperr.NewInvalid("note", "尚有企业未报送日报,请在备注中说明原因后再确认汇总",
			"Some enterprises have not reported: say why in the note before confirming the summary")
	}
	return nil
}
