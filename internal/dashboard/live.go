package dashboard

import (
	"sort"
	"strconv"
	"strings"
)

// EnterpriseDay is one enterprise's figures on a day, counted once per request: the
// figures, every breakdown and the trend's point of the day all add these up instead of
// each counting the readings, scans and people again.
type EnterpriseDay struct {
	ID         int64
	Region     string
	Park       int64 // 0: not in a park
	Category   string
	Key        bool // a key enterprise
	Status     string
	Registered bool // registered by the day's end
	Report     bool // its daily report of the day is confirmed
	LowCover   bool // that report's masks last fewer days than the reserve
	Notice     bool // holds a notice in force at the day's end
	Staff      int  // people registered, not left, at the day's end
	OnSite     int  // people admitted at a gate on the day
	Fevers     int  // people with a fever or a symptom on the day
}

// Row is the enterprise's part of a breakdown's line.
func (e EnterpriseDay) Row() Row {
	var r Row
	if e.Registered {
		r.Registered = 1
		if e.Status == "resumed" {
			r.Resumed, r.ReportsDue = 1, 1
			if e.Report {
				r.Reports = 1
			}
		}
	}
	if e.Notice {
		r.WithNotice = 1
	}
	r.Staff, r.OnSite, r.Fevers = e.Staff, e.OnSite, e.Fevers
	return r
}

// counts reports whether the enterprise adds anything to a breakdown (an enterprise not
// registered yet by the day's end may still hold people, scans or readings).
func (e EnterpriseDay) counts() bool {
	return e.Registered || e.Notice || e.Staff > 0 || e.OnSite > 0 || e.Fevers > 0
}

// UnitKey is the key of an enterprise's reviewing unit group: category, in a park, key.
func UnitKey(e EnterpriseDay) string {
	return e.Category + "|" + bit(e.Park != 0) + "|" + bit(e.Key)
}

// RollupKey is the key of the roll-up's group: village, park, category, key.
func RollupKey(e EnterpriseDay) string {
	return e.Region + "|" + strconv.FormatInt(e.Park, 10) + "|" + e.Category + "|" + bit(e.Key)
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// KeyOf is the key a breakdown by dim groups enterprises by, below the region code
// (regions one level down; enterprises below a village); ok is false for an unknown dim.
func KeyOf(dim, regionCode string) (key func(EnterpriseDay) string, ok bool) {
	switch dim {
	case ByRegion:
		n, _ := ChildLen(regionCode)
		if n == 0 {
			return func(e EnterpriseDay) string { return strconv.FormatInt(e.ID, 10) }, true
		}
		return func(e EnterpriseDay) string {
			if len(e.Region) < n {
				return e.Region
			}
			return e.Region[:n]
		}, true
	case ByPark:
		return func(e EnterpriseDay) string { return strconv.FormatInt(e.Park, 10) }, true
	case ByCategory:
		return func(e EnterpriseDay) string { return e.Category }, true
	case ByUnit, "rollup":
		return UnitKey, true
	}
	return nil, false
}

// Group adds the enterprises up by key: the rows, and their keys in order (the keys of
// enterprises registered by the day's end first, sorted, then any other, sorted).
func Group(ents []EnterpriseDay, key func(EnterpriseDay) string) (map[string]*Row, []string) {
	rows := map[string]*Row{}
	registered := map[string]bool{}
	for _, e := range ents {
		if !e.counts() {
			continue
		}
		k := key(e)
		r := rows[k]
		if r == nil {
			r = &Row{Key: k, Name: k}
			rows[k] = r
		}
		r.Add(e.Row())
		if e.Registered {
			registered[k] = true
		}
	}
	order := make([]string, 0, len(rows))
	for k := range rows {
		order = append(order, k)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if registered[a] != registered[b] {
			return registered[a]
		}
		return strings.Compare(a, b) < 0
	})
	return rows, order
}

// Sum adds every enterprise up into one row.
func Sum(ents []EnterpriseDay) Row {
	var t Row
	for _, e := range ents {
		t.Add(e.Row())
	}
	return t
}
