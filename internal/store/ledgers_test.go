package store_test

import (
	"sync"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/ledger"
	"fugong/internal/policy"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

func TestLedgers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 2)
		ent := w.enterprises[0].ID
		now := db.Now()
		add := func(e ledger.Entry) (ledger.Entry, error) {
			e.EnterpriseID = ent
			if e.At.IsZero() {
				e.At = now
			}
			return w.st.Ledgers().Add(ctx, w.ent, e)
		}
		if _, err := add(ledger.Entry{Kind: ledger.Disinfection}); len(problemFields(err)) != 3 {
			t.Fatalf("empty disinfection: %v", err)
		}
		d, err := add(ledger.Entry{Kind: ledger.Disinfection, Area: "车间一", Agent: "84消毒液 1:100", Person: "王五"})
		if err != nil || d.ID == 0 || d.EnterpriseName == "" {
			t.Fatalf("disinfection: %+v %v", d, err)
		}
		if _, err := add(ledger.Entry{Kind: ledger.Supplies, Item: "masks", Quantity: 20}); err != nil {
			t.Fatal(err)
		}
		// Taking out more than the stock is refused with the stock in the message.
		_, err = add(ledger.Entry{Kind: ledger.Supplies, Item: "masks", Quantity: -30})
		if f := problemFields(err); f["quantity"] == "" {
			t.Fatalf("out over stock: %v", err)
		}
		if _, err := add(ledger.Entry{Kind: ledger.Supplies, Item: "gloves", Quantity: -1}); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("out of an empty stock: %v", err)
		}
		if _, err := add(ledger.Entry{Kind: ledger.Supplies, Item: "masks", Quantity: -2, Note: "领用"}); err != nil {
			t.Fatal(err)
		}
		stock, err := w.st.Ledgers().SupplyStock(ctx, w.ent, ent)
		if err != nil || stock["masks"] != 18 {
			t.Fatalf("stock %v %v", stock, err)
		}
		if _, err := add(ledger.Entry{Kind: ledger.Masks, Quantity: 15, Person: "赵六"}); err != nil {
			t.Fatal(err)
		}
		if _, err := add(ledger.Entry{Kind: ledger.Training, Topic: "复工防疫知识", Names: "张三、李四"}); err != nil {
			t.Fatal(err)
		}
		// Another enterprise's ledger is out of scope: not found, for reading and writing.
		other := w.enterprises[1].ID
		if _, _, err := w.st.Ledgers().List(ctx, w.ent, ledger.Filter{EnterpriseID: other, Kind: ledger.Masks}); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("foreign ledger: %v", err)
		}
		if _, err := w.st.Ledgers().Add(ctx, w.ent, ledger.Entry{EnterpriseID: other, Kind: ledger.Masks, At: now, Quantity: 1, Person: "x"}); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("foreign write: %v", err)
		}
		// The grid sees but does not write.
		if _, err := w.st.Ledgers().Add(ctx, w.grid, ledger.Entry{EnterpriseID: ent, Kind: ledger.Masks, At: now, Quantity: 1, Person: "x"}); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("grid writes: %v", err)
		}
		list, n, err := w.st.Ledgers().List(ctx, w.grid, ledger.Filter{EnterpriseID: ent, Kind: ledger.Supplies})
		if err != nil || n != 2 || list[0].Quantity != -2 {
			t.Fatalf("supplies list: %d %+v %v", n, list, err)
		}
		// The date filter.
		if _, n, _ := w.st.Ledgers().List(ctx, w.grid, ledger.Filter{EnterpriseID: ent, Kind: ledger.Supplies, From: now.Add(time.Hour)}); n != 0 {
			t.Fatalf("from an hour later: %d", n)
		}
		audit, _, err := db.ListAudit(ctx, audit.Filter{Action: "ledger."})
		if err != nil || len(audit) != 5 {
			t.Fatalf("audit rows %d %v", len(audit), err)
		}
	})
}

func TestDailyReport(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 2) // 8 February 2020, 09:00 in the policy's zone
		pol := policy.Default()
		ent := w.enterprises[0].ID
		st := store.New(db, store.Config{Policy: pol})
		day := func(s string) time.Time {
			d, _ := roster.ParseDate(s, pol.Location())
			return d
		}
		people := []roster.Employee{
			{Name: "本地一", Origin: policy.OriginLocal, ReturnDate: day("2020-02-01")},
			{Name: "本地二", Origin: policy.OriginLocal, ReturnDate: day("2020-02-03")},
			{Name: "市内", Origin: policy.OriginCityOtherDistrict, ReturnDate: day("2020-02-01")}, // monitoring
			{Name: "省内", Origin: policy.OriginProvinceOtherCity, ReturnDate: day("2020-02-05")}, // isolating
			{Name: "未返", Origin: policy.OriginLocal},                                            // not back
		}
		for i, p := range people {
			p.EnterpriseID, p.IDNumber = ent, personID(t, 100+i)
			if _, err := st.Roster().Create(ctx, w.ent, p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.st.Ledgers().Add(ctx, w.ent, ledger.Entry{EnterpriseID: ent, Kind: ledger.Supplies, Item: "masks", Quantity: 20, At: db.Now()}); err != nil {
			t.Fatal(err)
		}
		// The other enterprise has one person back, counted on its own report only.
		other := w.enterprises[1].ID
		if _, err := st.Roster().Create(ctx, auth.System, roster.Employee{EnterpriseID: other, IDNumber: personID(t, 120), Name: "别家",
			Origin: policy.OriginLocal, ReturnDate: day("2020-02-02")}); err != nil {
			t.Fatal(err)
		}
		reports, total, confirmed, err := w.st.Ledgers().DailyReports(ctx, w.town, ledger.ReportFilter{})
		if err != nil || total != 2 || confirmed != 0 || len(reports) != 2 {
			t.Fatalf("list: %d %d %+v %v", total, confirmed, reports, err)
		}
		var r ledger.DailyReport
		for _, x := range reports {
			if x.EnterpriseID == ent {
				r = x
			} else if x.EnterpriseID != other || x.OnSite != 1 || x.Monitoring != 0 || x.Isolating != 0 || x.MaskStock != 0 || x.Fevers != 0 {
				t.Fatalf("the other enterprise's figures %+v", x)
			}
		}
		// 3 on site (2 cleared, 1 monitoring), 1 isolating; 20 masks / 3 a day = 6.7 days < 7.
		if r.Day != "2020-02-08" || r.OnSite != 3 || r.Monitoring != 1 || r.Isolating != 1 || r.MaskStock != 20 || r.CoverDays != 6.7 ||
			!r.CoverWarning || r.Confirmed || r.Zero {
			t.Fatalf("figures %+v", r)
		}
		// Only the enterprise's admin confirms; the grid cannot.
		if _, err := w.st.Ledgers().ConfirmDailyReport(ctx, w.grid, ent, "", ""); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("grid confirms: %v", err)
		}
		if _, err := w.st.Ledgers().ConfirmDailyReport(ctx, w.ent, ent, "2020-02-09", ""); apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("tomorrow: %v", err)
		}
		got, err := w.st.Ledgers().ConfirmDailyReport(ctx, w.ent, 0, "2020-02-08", "")
		if err != nil || !got.Confirmed || got.ConfirmedBy == "" || got.OnSite != 3 || got.Zero {
			t.Fatalf("confirm: %+v %v", got, err)
		}
		if _, err := w.st.Ledgers().ConfirmDailyReport(ctx, w.ent, ent, "2020-02-08", ""); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("twice: %v", err)
		}
		// On 1 February only 本地一 and 市内 were back, nobody isolating: a zero report.
		zero, err := w.st.Ledgers().ConfirmDailyReport(ctx, w.ent, ent, "2020-02-01", "无异常")
		if err != nil || !zero.Zero || zero.OnSite != 2 || zero.MaskStock != 0 || zero.CoverDays != 0 || !zero.CoverWarning {
			t.Fatalf("zero report: %+v %v", zero, err)
		}
		reports, total, confirmed, err = w.st.Ledgers().DailyReports(ctx, w.grid, ledger.ReportFilter{Day: "2020-02-08"})
		if err != nil || total != 2 || confirmed != 1 {
			t.Fatalf("after: %d %d %v", total, confirmed, err)
		}
		for _, x := range reports {
			if x.EnterpriseID == ent && (!x.Confirmed || x.OnSite != 3 || x.ConfirmedAt == nil || !x.CoverWarning) {
				t.Fatalf("confirmed row %+v", x)
			}
		}
		// The enterprise sees its own report only; another enterprise is not found.
		if _, _, _, err := w.st.Ledgers().DailyReports(ctx, w.ent, ledger.ReportFilter{EnterpriseID: w.enterprises[1].ID}); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("foreign report: %v", err)
		}
	})
}

// Concurrent movements out of one stock never take it below zero.
func TestSuppliesConcurrentOut(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		ent := w.enterprises[0].ID
		if _, err := w.st.Ledgers().Add(ctx, w.ent, ledger.Entry{EnterpriseID: ent, Kind: ledger.Supplies, Item: "masks", Quantity: 20, At: db.Now()}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, refused := 0, 0
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := w.st.Ledgers().Add(ctx, w.ent, ledger.Entry{EnterpriseID: ent, Kind: ledger.Supplies, Item: "masks", Quantity: -5, At: db.Now()})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case apperr.KindOf(err) == apperr.Invalid:
					refused++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		stock, err := w.st.Ledgers().SupplyStock(ctx, w.ent, ent)
		if err != nil || ok != 4 || refused != 4 || stock["masks"] != 0 {
			t.Fatalf("ok %d refused %d stock %v %v", ok, refused, stock, err)
		}
	})
}
