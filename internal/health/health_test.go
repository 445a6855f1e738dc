package health

import (
	"math"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/pass"
	"fugong/internal/policy"
)

func TestFever(t *testing.T) {
	h := policy.Default().Health // the seed's 37.3 °C
	for _, tc := range []struct {
		t        float64
		symptoms []string
		fever    bool
		reason   string
	}{
		{36.5, nil, false, ""},
		{37.2, nil, false, ""},
		{37.3, nil, true, pass.ReasonFever}, // at the line stops entry
		{38.5, []string{"咳嗽"}, true, pass.ReasonFever},
		{36.8, []string{"咳嗽"}, true, pass.ReasonSymptom},
	} {
		fever, reason := Fever(h, tc.t, tc.symptoms)
		if fever != tc.fever || reason != tc.reason {
			t.Errorf("Fever(%.1f, %v) = %v %q, want %v %q", tc.t, tc.symptoms, fever, reason, tc.fever, tc.reason)
		}
	}
	h.FeverLine = 37.0 // a stricter locality
	if fever, _ := Fever(h, 37.0, nil); !fever {
		t.Error("the policy's line is the line")
	}
}

func TestCheckTemperature(t *testing.T) {
	for _, tc := range []struct {
		t  float64
		ok bool
	}{{30, true}, {36.6, true}, {45, true}, {29.9, false}, {45.1, false}, {math.NaN(), false}, {math.Inf(1), false}} {
		err := CheckTemperature("temperature", tc.t)
		if (err == nil) != tc.ok {
			t.Errorf("CheckTemperature(%v) = %v", tc.t, err)
		}
		if err != nil {
			e, _ := apperr.As(err)
			if e.Problems[0].Field != "temperature" || e.Problems[0].Message != "体温应在 30.0 到 45.0 ℃ 之间" {
				t.Errorf("problem %+v", e.Problems)
			}
		}
	}
}

func TestCheckReading(t *testing.T) {
	r := Reading{EmployeeID: 1, Temperature: 36.649, Symptoms: []string{" 咳嗽 ", "", "乏力,头痛"}, Checkpoint: " 东门 "}
	if err := CheckReading(0, &r); err != nil {
		t.Fatal(err)
	}
	if r.Temperature != 36.6 || strings.Join(r.Symptoms, "|") != "咳嗽|乏力,头痛" || r.Checkpoint != "东门" {
		t.Errorf("normalised %+v", r)
	}
	for _, tc := range []struct {
		r     Reading
		field string
	}{
		{Reading{Temperature: 36.5}, "readings[2].employee_id"},
		{Reading{EmployeeID: 1, Temperature: 50}, "readings[2].temperature"},
		{Reading{PassToken: "x", Temperature: 36.5, Checkpoint: strings.Repeat("门", 51)}, "readings[2].checkpoint"},
	} {
		err := CheckReading(2, &tc.r)
		e, ok := apperr.As(err)
		if !ok || e.Problems[0].Field != tc.field {
			t.Errorf("CheckReading(%+v) = %v, want a problem on %s", tc.r, err, tc.field)
		}
	}
}

func TestCheckBatchAndDeclaration(t *testing.T) {
	if CheckBatch(0) == nil || CheckBatch(MaxBatch+1) == nil || CheckBatch(MaxBatch) != nil {
		t.Error("batch limits")
	}
	if err := CheckDeclaration(Declaration{Temperature: 36.5, Symptoms: []string{"咳嗽"}}); err != nil {
		t.Error(err)
	}
	for _, d := range []Declaration{
		{Temperature: 20},
		{Temperature: 36.5, Symptoms: make([]string, 21)},
		{Temperature: 36.5, Symptoms: []string{strings.Repeat("咳", 51)}},
	} {
		if apperr.KindOf(CheckDeclaration(d)) != apperr.Invalid {
			t.Errorf("CheckDeclaration(%v) accepted", d)
		}
	}
}

func TestReadingTime(t *testing.T) {
	now := time.Date(2020, 2, 20, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ at, want time.Time }{
		{time.Time{}, now},
		{now.Add(-time.Hour), now.Add(-time.Hour)},
		{now.Add(4 * time.Minute), now.Add(4 * time.Minute)},
		{now.Add(6 * time.Minute), now}, // a device clock running fast
	} {
		if got := ReadingTime(tc.at, now); !got.Equal(tc.want) {
			t.Errorf("ReadingTime(%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

func TestAlerts(t *testing.T) {
	if got := FeverAlert("张三丰", 38.25, []string{"咳嗽", "乏力"}); got != "张**:体温 38.2℃,症状:咳嗽、乏力;出入证已暂停,请跟踪处置" && got != "张**:体温 38.3℃,症状:咳嗽、乏力;出入证已暂停,请跟踪处置" {
		t.Errorf("FeverAlert = %q", got)
	}
	if got := MissedChecksAlert("2020-02-20", 3, 2); got != "2020-02-20 有 3 人体温检测少于每日 2 次,出入证已暂停;核实后可在出入证页面恢复" {
		t.Errorf("MissedChecksAlert = %q", got)
	}
}

func TestCheckClose(t *testing.T) {
	c := FollowUpClose{Isolation: " 居家 ", Outcome: " 排除 "}
	if err := CheckClose(&c); err != nil || c.Outcome != "排除" || c.Isolation != "居家" {
		t.Errorf("CheckClose = %v %+v", err, c)
	}
	if apperr.KindOf(CheckClose(&FollowUpClose{Outcome: "  "})) != apperr.Invalid {
		t.Error("an empty outcome must be refused")
	}
}

func TestRepeats(t *testing.T) {
	loc := policy.Default().Location()
	d := func(emp int64, day string, temp float64) Declared {
		return Declared{EmployeeID: emp, Name: "李四", Day: day, Temperature: temp}
	}
	for _, tc := range []struct {
		name string
		rows []Declared
		want []RepeatFlag
	}{
		{"three days the same", []Declared{d(1, "2020-02-18", 36.5), d(1, "2020-02-19", 36.5), d(1, "2020-02-20", 36.5)},
			[]RepeatFlag{{EmployeeID: 1, Name: "李*", Temperature: 36.5, Days: 3, LastDay: "2020-02-20"}}},
		{"two days only", []Declared{d(1, "2020-02-19", 36.5), d(1, "2020-02-20", 36.5)}, []RepeatFlag{}},
		{"a gap breaks the run", []Declared{d(1, "2020-02-16", 36.5), d(1, "2020-02-17", 36.5), d(1, "2020-02-19", 36.5), d(1, "2020-02-20", 36.5)}, []RepeatFlag{}},
		{"values differ", []Declared{d(1, "2020-02-18", 36.5), d(1, "2020-02-19", 36.6), d(1, "2020-02-20", 36.5)}, []RepeatFlag{}},
		{"twice a day counts the day once", []Declared{d(1, "2020-02-18", 36.5), d(1, "2020-02-18", 36.5), d(1, "2020-02-19", 36.5), d(1, "2020-02-20", 36.5), d(1, "2020-02-21", 36.5)},
			[]RepeatFlag{{EmployeeID: 1, Name: "李*", Temperature: 36.5, Days: 4, LastDay: "2020-02-21"}}},
		{"one flag per person", []Declared{d(1, "2020-02-18", 36.5), d(1, "2020-02-19", 36.5), d(1, "2020-02-20", 36.5), d(1, "2020-02-21", 36.7), d(1, "2020-02-22", 36.7), d(1, "2020-02-23", 36.7)},
			[]RepeatFlag{{EmployeeID: 1, Name: "李*", Temperature: 36.5, Days: 3, LastDay: "2020-02-20"}}},
	} {
		got := Repeats(tc.rows, loc)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %+v, want %+v", tc.name, got[i], tc.want[i])
			}
		}
	}
}
