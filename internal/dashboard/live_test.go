package dashboard

import "testing"

func TestGroupEnterprises(t *testing.T) {
	ents := []EnterpriseDay{
		{ID: 1, Region: "330402001001", Category: "b", Status: "resumed", Registered: true, Report: true, Notice: true, Staff: 10, OnSite: 7, Fevers: 1},
		{ID: 2, Region: "330402001002", Park: 3, Category: "a", Key: true, Status: "not_resumed", Registered: true, Staff: 4},
		{ID: 3, Region: "330402002001", Category: "a", Status: "resumed", Registered: true, Staff: 2, OnSite: 2},
		{ID: 4, Region: "330402002001", Category: "a", Status: "resumed", Staff: 5}, // registered after the day: people only
		{ID: 5, Region: "330402003001", Category: "a", Status: "resumed"},           // nothing to count
	}
	key, ok := KeyOf(ByRegion, "330402")
	if !ok {
		t.Fatal("region key")
	}
	rows, order := Group(ents, key)
	if len(order) != 2 || order[0] != "330402001" || order[1] != "330402002" {
		t.Fatalf("order %v", order)
	}
	if r := *rows["330402001"]; r.Registered != 2 || r.Resumed != 1 || r.ReportsDue != 1 || r.Reports != 1 || r.WithNotice != 1 || r.Staff != 14 || r.OnSite != 7 || r.Fevers != 1 {
		t.Errorf("town 1: %+v", r)
	}
	if r := *rows["330402002"]; r.Registered != 1 || r.Resumed != 1 || r.Reports != 0 || r.Staff != 7 || r.OnSite != 2 {
		t.Errorf("town 2: %+v", r)
	}
	// The total of every grouping is the sum of the enterprises.
	sum := Sum(ents)
	for _, dim := range append(Dimensions, "rollup") {
		k, ok := KeyOf(dim, "330402")
		if !ok {
			t.Fatalf("%s: no key", dim)
		}
		rows, order := Group(ents, k)
		var got []Row
		for _, k := range order {
			got = append(got, *rows[k])
		}
		if tot := Total(got); tot != sum {
			t.Errorf("%s: total %+v, want %+v", dim, tot, sum)
		}
	}
	if _, ok := KeyOf("nope", ""); ok {
		t.Error("an unknown grouping has a key")
	}
	// Below a village, one row per enterprise; the roll-up's key names village, park,
	// category and key.
	if k, _ := KeyOf(ByRegion, "330402001001"); k(ents[0]) != "1" {
		t.Errorf("below a village: %q", k(ents[0]))
	}
	if k := RollupKey(ents[1]); k != "330402001002|3|a|1" {
		t.Errorf("roll-up key %q", k)
	}
	if k := UnitKey(ents[1]); k != "a|1|1" {
		t.Errorf("unit key %q", k)
	}
}
