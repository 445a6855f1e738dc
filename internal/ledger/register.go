package ledger

import (
	"time"

	"fugong/internal/apperr"
	"fugong/internal/gate"
	"fugong/internal/input"
	"fugong/internal/list"
)

// RegisterFilter selects the rows of a register (the gate's 进出登记台账, the temperature
// register 体温检测登记台账) of one day: by checkpoint (a gate, a workshop, a commuter bus
// — variant D's 附件6), enterprise, kind of entry or fevers only.
type RegisterFilter struct {
	Day          string // YYYY-MM-DD; today when empty
	Checkpoint   string
	EnterpriseID int64
	Kind         string // gate register: employee, visitor, vehicle
	Fever        bool   // temperature register: fevers and symptoms only
	Page         list.Page
}

// Check refuses a day that is not a date or still to come, and an unknown kind.
func (f RegisterFilter) Check(today string) error {
	var ps apperr.Problems
	if f.Day != "" {
		d, err := time.Parse("2006-01-02", f.Day)
		if err != nil || d.Format("2006-01-02") != f.Day {
			ps.Add("date", "日期格式应为 YYYY-MM-DD", "The day is written YYYY-MM-DD")
		} else if today != "" && f.Day > today {
			ps.Add("date", "不能查看未来的日期", "The day is still to come")
		}
	}
	if p := input.OneOf("kind", f.Kind, []string{gate.KindEmployee, gate.KindVisitor, gate.KindVehicle}); p != nil {
		ps = append(ps, *p)
	}
	return ps.Err()
}

// GateRow is a row of the gate register: an entry with its enterprise and checkpoint.
type GateRow struct {
	gate.Entry
	EnterpriseName string `json:"enterprise_name"`
}

// TemperatureRow is a row of the temperature register: one reading, the person's name
// masked as on every list.
type TemperatureRow struct {
	ID             int64     `json:"id"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name"`
	Name           string    `json:"name"`
	Department     string    `json:"department"`
	Temperature    float64   `json:"temperature"`
	Symptoms       string    `json:"symptoms"`
	Checkpoint     string    `json:"checkpoint"`
	Source         string    `json:"source"`
	Fever          bool      `json:"fever"`
	At             time.Time `json:"at"`
}
