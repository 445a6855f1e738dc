package roster_test

import (
	"testing"
	"time"

	"fugong/internal/policy"
	"fugong/internal/roster"
)

func TestStatusStored(t *testing.T) {
	pol := policy.Default()
	loc := pol.Location()
	day := func(s string) time.Time {
		d, ok := roster.ParseDate(s, loc)
		if !ok {
			t.Fatalf("date %q", s)
		}
		return d
	}
	// 13 February 2020, 10:00 in the policy's zone.
	now := time.Date(2020, 2, 13, 10, 0, 0, 0, loc)
	for _, c := range []struct {
		name    string
		origin  string
		back    string
		journey float64
		phase   roster.Phase
		next    string // '' never
		long    bool
	}{
		{"local, back", policy.OriginLocal, "2020-02-01", 0, roster.Cleared, "", false},
		{"local, no return date", policy.OriginLocal, "", 0, roster.NotReturned, "", false},
		{"local, back tomorrow", policy.OriginLocal, "2020-02-14", 0, roster.NotReturned, "2020-02-14", false},
		{"isolating, back today", policy.OriginProvinceOtherCity, "2020-02-13", 0, roster.Isolating, "2020-02-28", false},
		{"isolating, mid-measure, long journey", policy.OriginProvinceOtherCity, "2020-02-05", 7, roster.Isolating, "2020-02-20", true},
		{"isolating, last day today", policy.OriginProvinceOtherCity, "2020-01-30", 0, roster.Isolating, "2020-02-14", false},
		{"isolating, ended yesterday", policy.OriginProvinceOtherCity, "2020-01-29", 0, roster.Cleared, "", false},
		{"monitoring, ending tomorrow", policy.OriginCityOtherDistrict, "2020-01-31", 0, roster.Monitoring, "2020-02-15", false},
		{"advised, not back", policy.OriginOtherProvince, "2020-02-20", 0, roster.AdvisedNotReturn, "2020-02-20", false},
		{"advised, no return date", policy.OriginOtherProvince, "", 6, roster.AdvisedNotReturn, "", false},
		{"advised, back: isolating", policy.OriginOtherProvince, "2020-02-10", 0, roster.Isolating, "2020-02-25", false},
		{"unknown class: isolated", "moon", "2020-02-10", 0, roster.Isolating, "2020-02-25", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := roster.Employee{Origin: c.origin, JourneyHours: c.journey}
			if c.back != "" {
				e.ReturnDate = day(c.back)
			}
			st := roster.Clock(pol, e, now)
			got := st.Stored(e, loc)
			if got.Phase != c.phase || roster.FormatDate(got.Next, loc) != c.next || got.JourneyTooLong != c.long {
				t.Fatalf("stored %+v (next %q), want %s %q %v", got, roster.FormatDate(got.Next, loc), c.phase, c.next, c.long)
			}
			// The stored phase holds until the next day, and changes on it.
			if !got.Next.IsZero() {
				before := roster.Clock(pol, e, got.Next.Add(-time.Minute))
				after := roster.Clock(pol, e, got.Next.Add(time.Minute))
				if before.Phase != c.phase || after.Phase == c.phase {
					t.Fatalf("phase %s before %s, %s after", before.Phase, got.Next, after.Phase)
				}
			} else if later := roster.Clock(pol, e, now.AddDate(1, 0, 0)); later.Phase != c.phase {
				t.Fatalf("never changes, yet %s a year later", later.Phase)
			}
		})
	}
}

func TestCountsAddStored(t *testing.T) {
	var c roster.Counts
	c.AddStored(roster.Isolating, 3, 1, 2)
	c.AddStored(roster.Monitoring, 2, 2, 0)
	c.AddStored(roster.Cleared, 5, 4, 1) // a cleared person is not "cleared tomorrow"
	c.AddStored(roster.NotReturned, 1, 0, 0)
	c.AddStored(roster.AdvisedNotReturn, 1, 0, 1)
	want := roster.Counts{Total: 12, Isolating: 3, Monitoring: 2, Cleared: 5, NotReturned: 1, AdvisedNotReturn: 1, ClearedTomorrow: 3, JourneyTooLong: 4}
	if c != want {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
	for p, n := range map[roster.Phase]int{"": 12, roster.Isolating: 3, roster.Cleared: 5, "other": 0} {
		if c.Of(p) != n {
			t.Fatalf("Of(%q) = %d, want %d", p, c.Of(p), n)
		}
	}
}
