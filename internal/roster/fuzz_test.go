package roster

import (
	"testing"
	"time"

	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

// FuzzFromRow: any cells of a roster row give an employee or a list of problems, never a
// panic, and a row that passes validation gives a clock.
func FuzzFromRow(f *testing.F) {
	f.Add("张三", "330402199001011238", "13800000000", "本地", "2020-02-01", "3.5")
	f.Add("", "33040219900101123X", "x", "外省", "2020/2/30", "-1")
	f.Add("李四", "", "", "other_province", "44000", "1e9")
	pol := policy.Default()
	f.Fuzz(func(t *testing.T, name, id, phone, origin, returned, hours string) {
		row := xlsx.Row{Num: 2, Values: map[string]string{"name": name, "id_number": id, "phone": phone, "origin": origin,
			"return_date": returned, "journey_hours": hours}}
		e, ps := FromRow(pol, row)
		if len(ps) > 0 {
			return
		}
		if err := e.Validate(pol).Err(); err != nil {
			return
		}
		Clock(pol, e, time.Date(2020, 2, 20, 9, 0, 0, 0, time.UTC))
	})
}
