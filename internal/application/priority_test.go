package application

import (
	"math"
	"slices"
	"testing"
	"time"

	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

func TestPriority(t *testing.T) {
	withStaff := func(local, other, masks int) Application {
		return Application{Returning: Returning{Local: local, ProvinceOtherCity: other},
			Supplies: []SupplyItem{{Item: ItemMasks, Quantity: masks}}}
	}
	tests := []struct {
		policy string
		e      enterprise.Enterprise
		a      Application
		in     policy.PriorityInput
		score  float64
	}{
		// Default weights: key 3, above scale 2, key cultivated 1.5, local share 1, supplies 1.
		{"default", ent("industry_above", key), withStaff(100, 0, 700),
			policy.PriorityInput{KeyIndustry: true, AboveScale: true, LocalStaffShare: 1, SuppliesDays: 7}, 7},
		{"default", ent("industry_below"), withStaff(25, 25, 175),
			policy.PriorityInput{LocalStaffShare: 0.5, SuppliesDays: 3.5}, 1},
		{"default", ent("industry_above"), withStaff(60, 40, 1400), // 14 days count as 7
			policy.PriorityInput{AboveScale: true, LocalStaffShare: 0.6, SuppliesDays: 14}, 2 + 0.6 + 1},
		{"default", ent("retail_services"), Application{}, policy.PriorityInput{}, 0},
		// Variant D weighs supplies twice.
		{"variant-d-street.toml", ent("industry_below"), withStaff(10, 0, 35),
			policy.PriorityInput{LocalStaffShare: 1, SuppliesDays: 3.5}, 1 + 2*0.5},
	}
	for _, tt := range tests {
		pol := load(t, tt.policy)
		if got := PriorityInputFor(pol, tt.e, tt.a); got != tt.in {
			t.Errorf("%s: PriorityInputFor = %+v; want %+v", tt.policy, got, tt.in)
		}
		if got := Priority(pol, tt.e, tt.a); math.Abs(got-tt.score) > 1e-9 {
			t.Errorf("%s: Priority = %v; want %v", tt.policy, got, tt.score)
		}
	}
}

// A key above-scale enterprise with local staff ranks above a small one; the green channel
// goes first; equal scores keep the order of filing.
func TestSortQueue(t *testing.T) {
	pol := load(t, "variant-c-county.toml")
	filed := at("2020-02-08 09:00")
	item := func(id int64, e enterprise.Enterprise, local, other, masks int, green bool, hoursLater int) QueueItem {
		return QueueItem{Enterprise: e, Application: Application{ID: id, GreenChannel: green, Status: "submitted",
			SubmittedAt: filed.Add(time.Duration(hoursLater) * time.Hour),
			Returning:   Returning{Local: local, OtherProvince: other},
			Supplies:    []SupplyItem{{Item: ItemMasks, Quantity: masks}}}}
	}
	items := []QueueItem{
		item(1, ent("industry_below"), 5, 5, 70, false, 0),                // small, half local: 0.5 + 1
		item(2, ent("industry_above", key), 90, 10, 700, false, 5),        // key, above scale, 90% local: 3 + 2 + 0.9 + 1
		item(3, ent("industry_below"), 5, 5, 70, false, -1),               // as 1, filed earlier
		item(4, ent("industry_above"), 10, 90, 700, false, 0),             // above scale, mostly from outside: 2 + 0.1 + 1
		item(5, ent("retail_services"), 1, 0, 1, true, 9),                 // green channel
		item(6, ent("industry_above", key), 100, 0, 350, false, 2),        // half the supplies: 3 + 2 + 1 + 0.5
		item(7, ent("industry_below"), 0, 10, 0, false, 0),                // nothing in its favour
		item(8, ent("industry_above", key), 100, 0, 700, false, 3),        // everything: 3 + 2 + 1 + 1
		item(9, ent("industry_above", key, inPark), 100, 0, 700, true, 3), // green channel and everything
	}
	SortQueue(pol, items)
	var got []int64
	for _, it := range items {
		got = append(got, it.Application.ID)
	}
	want := []int64{9, 5, 8, 2, 6, 4, 3, 1, 7}
	if !slices.Equal(got, want) {
		t.Errorf("queue order %v; want %v", got, want)
	}
}

func TestDueAndOverdue(t *testing.T) {
	pol := load(t, "default")                                                                     // review_due_days = 3
	a := Application{Status: "review", SubmittedAt: time.Date(2020, 2, 10, 1, 0, 0, 0, time.UTC)} // 09:00 +08:00
	due := Due(pol, a)
	if want := at("2020-02-13 09:00"); !due.Equal(want) {
		t.Errorf("Due = %v; want %v", due, want)
	}
	tests := []struct {
		status string
		now    time.Time
		want   bool
	}{
		{"review", at("2020-02-13 09:00"), false},
		{"review", at("2020-02-13 09:01"), true},
		{"submitted", at("2020-02-20 00:00"), true},
		{StatusApproved, at("2020-02-20 00:00"), false},
		{StatusReturned, at("2020-02-20 00:00"), false},
		{StatusDraft, at("2020-02-20 00:00"), false},
	}
	for _, tt := range tests {
		a.Status = tt.status
		if got := Overdue(pol, a, tt.now); got != tt.want {
			t.Errorf("Overdue(%s, %v) = %v; want %v", tt.status, tt.now, got, tt.want)
		}
	}
	if !Due(pol, Application{}).IsZero() || Overdue(pol, Application{Status: "review"}, at("2030-01-01 00:00")) {
		t.Error("an application never submitted has no due date")
	}
}
