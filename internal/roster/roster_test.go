package roster

import (
	"strings"
	"testing"
	"time"

	"fugong/internal/idnum"
	"fugong/internal/policy"
	"fugong/internal/xlsx"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// validID makes a valid identity number from 17 digits.
func validID(t *testing.T, first17 string) string {
	c, err := idnum.CheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func TestClock(t *testing.T) {
	pol := policy.Default()
	at := func(s string) time.Time { return day(s).Add(10 * time.Hour) }
	late := time.Date(2020, 1, 30, 23, 30, 0, 0, shanghai) // 15:30 UTC the same day; 23:30 local
	utcNextDay := time.Date(2020, 1, 30, 16, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		origin   string
		back     time.Time
		now      time.Time
		phase    Phase
		until    string
		left     int
		reasonIn string
	}{
		{"local is cleared", policy.OriginLocal, day("2020-02-10"), at("2020-02-10"), Cleared, "", 0, "无需"},
		{"no return date", policy.OriginLocal, time.Time{}, at("2020-02-10"), NotReturned, "", 0, "返岗日期"},
		{"other province not back", policy.OriginOtherProvince, time.Time{}, at("2020-02-10"), AdvisedNotReturn, "", 0, "暂缓返岗"},
		{"other province back isolates", policy.OriginOtherProvince, day("2020-02-10"), at("2020-02-11"), Isolating, "2020-02-24", 13, "隔离14天"},
		{"isolation on return day", policy.OriginProvinceOtherCity, day("2020-01-30"), at("2020-01-30"), Isolating, "2020-02-13", 14, "2020年2月13日"},
		{"isolation across the month end, last day", policy.OriginProvinceOtherCity, day("2020-01-30"), at("2020-02-13"), Isolating, "2020-02-13", 0, "还剩0天"},
		{"isolation over", policy.OriginProvinceOtherCity, day("2020-01-30"), at("2020-02-14"), Cleared, "", 0, "期满"},
		{"leap February", policy.OriginProvinceOtherCity, day("2020-02-20"), at("2020-03-05"), Isolating, "2020-03-05", 0, ""},
		{"leap February over", policy.OriginProvinceOtherCity, day("2020-02-20"), at("2020-03-06"), Cleared, "", 0, ""},
		{"monitoring", policy.OriginCityOtherDistrict, day("2020-02-01"), at("2020-02-05"), Monitoring, "2020-02-15", 10, "每日2次体温监测"},
		{"monitoring over", policy.OriginCityOtherDistrict, day("2020-02-01"), at("2020-02-16"), Cleared, "", 0, ""},
		{"return at 23:30 local counts from that day", policy.OriginProvinceOtherCity, late, at("2020-02-13"), Isolating, "2020-02-13", 0, ""},
		{"an instant read in UTC is the next local day", policy.OriginProvinceOtherCity, utcNextDay, at("2020-02-14"), Isolating, "2020-02-14", 0, ""},
		{"now late in the evening UTC is tomorrow in Shanghai", policy.OriginProvinceOtherCity, day("2020-01-30"), time.Date(2020, 2, 13, 16, 30, 0, 0, time.UTC), Cleared, "", 0, ""},
		{"unknown class isolates", "moon", day("2020-02-01"), at("2020-02-01"), Isolating, "2020-02-15", 14, ""},
		// Across the day of return: before it nothing runs, the person is not back yet.
		{"isolation, the day before return", policy.OriginProvinceOtherCity, day("2020-02-10"), at("2020-02-09"), NotReturned, "", 0, "尚未返岗,预计2020年2月10日返岗"},
		{"isolation, the last minute before return", policy.OriginProvinceOtherCity, day("2020-02-10"), day("2020-02-10").Add(-time.Minute), NotReturned, "", 0, "尚未返岗"},
		{"isolation, the first minute of the day of return", policy.OriginProvinceOtherCity, day("2020-02-10"), day("2020-02-10"), Isolating, "2020-02-24", 14, "还剩14天"},
		{"isolation, the day after return", policy.OriginProvinceOtherCity, day("2020-02-10"), at("2020-02-11"), Isolating, "2020-02-24", 13, "还剩13天"},
		{"return a year ahead is not 459 days of isolation", policy.OriginProvinceOtherCity, day("2021-05-01"), at("2020-02-10"), NotReturned, "", 0, "预计2021年5月1日返岗"},
		{"monitoring, back tomorrow", policy.OriginCityOtherDistrict, day("2020-02-11"), at("2020-02-10"), NotReturned, "", 0, "尚未返岗"},
		{"local, back tomorrow, is not at work yet", policy.OriginLocal, day("2020-02-11"), at("2020-02-10"), NotReturned, "", 0, "尚未返岗"},
		{"other province, back tomorrow: still advised not to return", policy.OriginOtherProvince, day("2020-02-11"), at("2020-02-10"), AdvisedNotReturn, "", 0, "暂缓返岗,预计2020年2月11日返岗"},
		{"other province, back today: isolates", policy.OriginOtherProvince, day("2020-02-11"), at("2020-02-11"), Isolating, "2020-02-25", 14, "隔离14天"},
		{"back late today in UTC is tomorrow in Shanghai", policy.OriginProvinceOtherCity, utcNextDay, at("2020-01-30"), NotReturned, "", 0, "预计2020年1月31日返岗"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := Clock(pol, Employee{Origin: tc.origin, ReturnDate: tc.back}, tc.now)
			if st.Phase != tc.phase || FormatDate(st.Until, shanghai) != tc.until || st.DaysLeft != tc.left {
				t.Fatalf("Clock = %s until %q, %d left (%s); want %s until %q, %d left", st.Phase, FormatDate(st.Until, shanghai), st.DaysLeft, st.Reason, tc.phase, tc.until, tc.left)
			}
			if !strings.Contains(st.Reason, tc.reasonIn) || st.ReasonEN == "" {
				t.Errorf("reason %q / %q; want it to contain %q", st.Reason, st.ReasonEN, tc.reasonIn)
			}
			if st.Until.IsZero() != (tc.until == "") || (!st.Until.IsZero() && st.Until.Location().String() != "Asia/Shanghai") {
				t.Errorf("until %v not in the policy's zone", st.Until)
			}
		})
	}
	// English is written whole, not glued from fragments: the origin is named after
	// "Origin:", and one day is one day.
	for _, tc := range []struct {
		origin   string
		back     time.Time
		now      time.Time
		reasonEN string
	}{
		{policy.OriginProvinceOtherCity, day("2020-01-30"), at("2020-02-12"),
			"Origin: Same province, other city; back on 30 January 2020: isolation for 14 days until 13 February 2020, 1 day left"},
		{policy.OriginProvinceOtherCity, day("2020-01-30"), at("2020-02-13"),
			"Origin: Same province, other city; back on 30 January 2020: isolation for 14 days until 13 February 2020, 0 days left"},
		{policy.OriginCityOtherDistrict, day("2020-01-30"), at("2020-02-20"),
			"Origin: Same city, other district; back on 30 January 2020: 14 days of temperature checks 2 times a day ended on 13 February 2020"},
		{policy.OriginLocal, day("2020-01-30"), at("2020-02-20"), "Origin: Local; no isolation or monitoring needed"},
		{policy.OriginOtherProvince, time.Time{}, at("2020-02-20"), "Origin: Other province; advised not to return early"},
		{policy.OriginProvinceOtherCity, day("2021-05-01"), at("2020-02-10"), "Origin: Same province, other city; not back yet; expected back on 1 May 2021"},
	} {
		st := Clock(pol, Employee{Origin: tc.origin, ReturnDate: tc.back}, tc.now)
		if !strings.HasPrefix(st.ReasonEN, tc.reasonEN) || strings.Contains(st.ReasonEN, "From ") {
			t.Errorf("%s back %s, on %s: %q; want it to start %q", tc.origin, FormatDate(tc.back, shanghai), FormatDate(tc.now, shanghai), st.ReasonEN, tc.reasonEN)
		}
	}
	// The clause is cited.
	st := Clock(pol, Employee{Origin: policy.OriginProvinceOtherCity, ReturnDate: day("2020-01-30")}, at("2020-02-01"))
	oc, _ := pol.OriginClass(policy.OriginProvinceOtherCity)
	if !strings.Contains(st.Reason, oc.Clause) || !strings.Contains(st.ReasonEN, oc.Clause) {
		t.Errorf("reason %q does not cite %q", st.Reason, oc.Clause)
	}
}

func TestJourney(t *testing.T) {
	pol := policy.Default()
	now := day("2020-02-10")
	for _, tc := range []struct {
		hours float64
		long  bool
	}{{0, false}, {6, false}, {6.5, true}, {12, true}} {
		st := Clock(pol, Employee{Origin: policy.OriginLocal, ReturnDate: now, JourneyHours: tc.hours}, now)
		if st.JourneyTooLong != tc.long {
			t.Errorf("%g hours: too long = %v", tc.hours, st.JourneyTooLong)
		}
		if tc.long && !strings.Contains(st.Reason, "超过规定的6小时") {
			t.Errorf("reason %q", st.Reason)
		}
	}
}

func TestClearedTomorrow(t *testing.T) {
	pol := policy.Default()
	now := day("2020-02-13").Add(9 * time.Hour)
	tomorrow := Tomorrow(pol, now)
	var c Counts
	for _, e := range []Employee{
		{Origin: policy.OriginProvinceOtherCity, ReturnDate: day("2020-01-30")}, // last day today → cleared tomorrow
		{Origin: policy.OriginCityOtherDistrict, ReturnDate: day("2020-01-30")}, // same for monitoring
		{Origin: policy.OriginProvinceOtherCity, ReturnDate: day("2020-01-31")}, // one more day
		{Origin: policy.OriginLocal, ReturnDate: day("2020-02-01")},
		{Origin: policy.OriginOtherProvince},
		{Origin: policy.OriginLocal},
		{Origin: policy.OriginLocal, ReturnDate: day("2020-02-01"), JourneyHours: 9},
	} {
		c.Add(Clock(pol, e, now), tomorrow)
	}
	want := Counts{Total: 7, Isolating: 2, Monitoring: 1, AdvisedNotReturn: 1, Cleared: 2, NotReturned: 1, ClearedTomorrow: 2, JourneyTooLong: 1}
	if c != want {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
	st := Clock(pol, Employee{Origin: policy.OriginProvinceOtherCity, ReturnDate: day("2020-01-30")}, now)
	if got := FormatDate(st.ClearedOn(), shanghai); got != "2020-02-14" {
		t.Errorf("ClearedOn = %s", got)
	}
}

func TestValidate(t *testing.T) {
	pol := policy.Default()
	good := Employee{Name: "张三", IDNumber: validID(t, "33040219900101123"), Phone: "13800000000", Origin: policy.OriginLocal}
	if ps := good.Validate(pol); len(ps) != 0 {
		t.Fatalf("valid employee: %v", ps)
	}
	bad := good
	bad.IDNumber = good.IDNumber[:17] + map[bool]string{true: "1", false: "2"}[good.IDNumber[17] != '1']
	bad.Origin = "mars"
	bad.JourneyHours = -1
	bad.Name = ""
	bad.Phone = "abc"
	fields := map[string]string{}
	for _, p := range bad.Validate(pol) {
		fields[p.Field] = p.Message
	}
	for _, f := range []string{"id_number", "origin", "journey_hours", "name", "phone"} {
		if fields[f] == "" {
			t.Errorf("no problem for %s: %v", f, fields)
		}
	}
	if !strings.Contains(fields["id_number"], "校验") {
		t.Errorf("id problem %q should name the check character", fields["id_number"])
	}
	e := Employee{IDNumber: " " + strings.ToLower(good.IDNumber[:17]) + "x "}
	e.Normalize()
	if e.IDNumber != good.IDNumber[:17]+"X" {
		t.Errorf("Normalize: %q", e.IDNumber)
	}
}

func TestCanAssign(t *testing.T) {
	pol := policy.Default()
	room := func(n int, isolating bool) []Occupant {
		var os []Occupant
		for i := range n {
			os = append(os, Occupant{ID: int64(i + 1), Name: "甲", Isolating: isolating && i == 0})
		}
		return os
	}
	newcomer := Occupant{ID: 100}
	if p := CanAssign(pol, newcomer, room(3, false)); p != nil {
		t.Fatalf("fourth bed refused: %v", p)
	}
	p := CanAssign(pol, newcomer, room(4, false))
	if p == nil || !strings.Contains(p.Message, "最多4人") || !strings.Contains(p.Message, "丁方案") {
		t.Fatalf("fifth bed: %v", p)
	}
	// Someone already in the room is not counted twice.
	if p := CanAssign(pol, Occupant{ID: 2}, room(4, false)); p != nil {
		t.Fatalf("re-saving an occupant of a full room: %v", p)
	}
	if p := CanAssign(pol, Occupant{ID: 100, Isolating: true}, room(1, false)); p == nil || !strings.Contains(p.Message, "单人单间") {
		t.Fatalf("isolating person into an occupied room: %v", p)
	}
	if p := CanAssign(pol, Occupant{ID: 100, Isolating: true}, nil); p != nil {
		t.Fatalf("isolating person into an empty room: %v", p)
	}
	if p := CanAssign(pol, newcomer, room(1, true)); p == nil {
		t.Fatal("someone put into an isolating person's room")
	}
}

func TestFromRow(t *testing.T) {
	pol := policy.Default()
	id := validID(t, "33040219900101123")
	e, ps := FromRow(pol, xlsx.Row{Num: 2, Values: map[string]string{"name": " 李四 ", "id_number": strings.ToLower(id), "origin": "省内市外",
		"return_date": "2020/1/30", "journey_hours": "7.5", "phone": "13900000000"}})
	if len(ps) != 0 || e.Origin != policy.OriginProvinceOtherCity || e.Name != "李四" || e.IDNumber != id || e.JourneyHours != 7.5 ||
		FormatDate(e.ReturnDate, shanghai) != "2020-01-30" {
		t.Fatalf("FromRow = %+v, %v", e, ps)
	}
	_, ps = FromRow(pol, xlsx.Row{Num: 3, Values: map[string]string{"name": "王五", "origin": "火星", "return_date": "昨天", "journey_hours": "很久"}})
	if len(ps) != 3 {
		t.Fatalf("problems %v", ps)
	}
	for _, s := range []string{"2020-01-30", "2020.1.30", "2020年1月30日", "20200130", "2020-01-30 00:00"} {
		if d, ok := ParseDate(s, shanghai); !ok || FormatDate(d, shanghai) != "2020-01-30" {
			t.Errorf("ParseDate(%q) = %v %v", s, d, ok)
		}
	}
}

func TestAssignRooms(t *testing.T) {
	pol := policy.Default()
	s := func(v string) *string { return &v }
	left := time.Date(2020, 2, 20, 0, 0, 0, 0, time.UTC)
	base := Employee{Name: "张三", DormRoom: "A101"}
	for _, tc := range []struct {
		name    string
		old     Employee
		a       RoomAssignment
		dorm    string
		changed bool
		bad     bool
	}{
		{"a new room", base, RoomAssignment{DormRoom: s("A102")}, "A102", true, false},
		{"the same room", base, RoomAssignment{DormRoom: s("A101")}, "A101", false, false},
		{"cleared", base, RoomAssignment{DormRoom: s("")}, "", true, false},
		{"nothing given", base, RoomAssignment{}, "A101", false, true},
		{"left: no new room", Employee{Name: "李四", LeftAt: &left}, RoomAssignment{DormRoom: s("A103")}, "", false, true},
		{"left: a room may be cleared", Employee{Name: "李四", DormRoom: "A101", LeftAt: &left}, RoomAssignment{DormRoom: s("")}, "", true, false},
	} {
		e, changed, err := AssignRooms(pol, tc.old, tc.a)
		if (err != nil) != tc.bad || !tc.bad && (e.DormRoom != tc.dorm || changed != tc.changed) {
			t.Errorf("%s: %q %v %v", tc.name, e.DormRoom, changed, err)
		}
	}
}
