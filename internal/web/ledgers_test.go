package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fugong/internal/auth"
)

type stockAnswer struct {
	Item      string  `json:"item"`
	Quantity  int64   `json:"quantity"`
	CoverDays float64 `json:"cover_days"`
	Warning   bool    `json:"warning"`
}

type ledgerAnswer struct {
	Items []struct {
		ID       int64  `json:"id"`
		Quantity int64  `json:"quantity"`
		Item     string `json:"item"`
	} `json:"items"`
	Total  int           `json:"total"`
	Stock  []stockAnswer `json:"stock"`
	OnSite *int          `json:"on_site"`
}

type dailyAnswer struct {
	Date      string `json:"date"`
	Total     int    `json:"total"`
	Confirmed int    `json:"confirmed"`
	Items     []struct {
		EnterpriseID int64   `json:"enterprise_id"`
		OnSite       int     `json:"on_site"`
		Isolating    int     `json:"isolating"`
		MaskStock    int64   `json:"mask_stock"`
		CoverDays    float64 `json:"cover_days"`
		CoverWarning bool    `json:"cover_warning"`
		Zero         bool    `json:"zero_report"`
		Confirmed    bool    `json:"confirmed"`
		ConfirmedBy  string  `json:"confirmed_by"`
	} `json:"items"`
}

// openSheet opens an exported workbook and returns its sheet name and rows.
func openSheet(t *testing.T, body []byte) (string, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("export does not open: %v", err)
	}
	defer f.Close()
	name := f.GetSheetName(0)
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	return name, rows
}

func TestLedgersJourney(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.rosterClock() // 13 February 2020, 10:00 in Shanghai
		w.employee(t, "甲一", 1)
		w.employee(t, "甲二", 2) // both local, back on 10 February: on site
		ent := w.login(auth.Enterprise)
		ea := itoa(w.entA)

		// Field errors on the form.
		status, body := ent.post("/ledgers/disinfection", url.Values{"at": {"2020-02-13T08:00"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写消毒区域") || !strings.Contains(body, "请填写消毒人员") {
			t.Fatalf("empty disinfection: %d\n%s", status, body)
		}
		post := func(kind string, v url.Values) {
			t.Helper()
			if status, loc := ent.post("/ledgers/"+kind, v); status != http.StatusSeeOther {
				t.Fatalf("add %s: %d %s", kind, status, loc)
			}
		}
		post("disinfection", url.Values{"at": {"2020-02-13T08:00"}, "area": {"一号车间"}, "agent": {"84消毒液 1:100"}, "person": {"王五"}})
		post("disinfection", url.Values{"at": {"2020-02-13T12:00"}, "area": {"食堂"}, "agent": {"含氯消毒液"}, "person": {"王五"}})
		post("supplies", url.Values{"at": {"2020-02-12T09:00"}, "item": {"masks"}, "direction": {"in"}, "quantity": {"15"}})
		post("supplies", url.Values{"at": {"2020-02-13T09:00"}, "item": {"masks"}, "direction": {"out"}, "quantity": {"2"}})
		// Taking out more than the stock is refused, saying so.
		status, body = ent.post("/ledgers/supplies", url.Values{"at": {"2020-02-13T09:30"}, "item": {"masks"}, "direction": {"out"}, "quantity": {"20"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "超过口罩现有库存 13") {
			t.Fatalf("out over stock: %d\n%s", status, body)
		}
		post("masks", url.Values{"at": {"2020-02-13T17:00"}, "quantity": {"12"}, "person": {"赵六"}})
		post("training", url.Values{"at": {"2020-02-12"}, "topic": {"复工防疫知识"}, "names": {"甲一、甲二"}})

		// 2 on site, 13 masks, 1 a day each: 6.5 days, below the 7 days' reserve.
		status, body = ent.get("/ledgers/supplies")
		if status != http.StatusOK || !strings.Contains(body, `data-cover="masks">6.5`) || !strings.Contains(body, "低于储备要求") {
			t.Fatalf("supplies page: %d\n%s", status, body)
		}
		// In English, the stock is counted in English units.
		if status, body = ent.get("/ledgers/supplies?lang=en"); status != http.StatusOK || !strings.Contains(body, "13 pcs") || !strings.Contains(body, "0 pairs") || strings.Contains(body, "13 只") {
			t.Fatalf("supplies page in English: %d\n%s", status, body)
		}
		var list ledgerAnswer
		if st := w.api(auth.Grid, "GET", "/api/v1/ledgers/supplies?enterprise="+ea, nil, &list); st != http.StatusOK || list.Total != 2 ||
			list.OnSite == nil || *list.OnSite != 2 || list.Stock[0].Item != "masks" || list.Stock[0].CoverDays != 6.5 || !list.Stock[0].Warning {
			t.Fatalf("supplies API: %d %+v", st, list)
		}
		if st := w.api(auth.Enterprise, "POST", "/api/v1/ledgers/supplies", map[string]any{"item": "masks", "quantity": -100, "at": "2020-02-13T10:00:00+08:00"}, nil); st != http.StatusUnprocessableEntity {
			t.Fatalf("API out over stock: %d", st)
		}
		if st := w.api(auth.Grid, "POST", "/api/v1/ledgers/masks", map[string]any{"enterprise_id": w.entA, "quantity": 1, "person": "x"}, nil); st != http.StatusForbidden {
			t.Fatalf("grid writes: %d", st)
		}

		// Each ledger exports with the enterprise's name as the sheet and its rows.
		for kind, want := range map[string][]string{
			"disinfection": {"序号", "消毒时间", "消毒区域"}, "supplies": {"序号", "日期时间", "物资名称", "入库数量", "出库数量", "单位", "结存"},
			"masks": {"序号", "收集时间", "废弃口罩数量(只)"}, "training": {"序号", "日期", "宣传培训内容", "明白单发放人数", "发放名单"},
		} {
			status, ctype, data := ent.getBytes("/ledgers/" + kind + "/export")
			if status != http.StatusOK || !strings.Contains(ctype, "spreadsheetml") {
				t.Fatalf("%s export: %d %s", kind, status, ctype)
			}
			sheet, rows := openSheet(t, data)
			if sheet != "甲镇精密机械有限公司" {
				t.Errorf("%s: sheet %q", kind, sheet)
			}
			for i, h := range want {
				if rows[0][i] != h {
					t.Errorf("%s: header %d = %q, want %q", kind, i, rows[0][i], h)
				}
			}
			n := map[string]int{"disinfection": 2, "supplies": 2, "masks": 1, "training": 1}[kind]
			if len(rows) != 1+n {
				t.Fatalf("%s: %d rows: %v", kind, len(rows), rows)
			}
			switch kind {
			case "supplies":
				if rows[1][2] != "口罩" || rows[1][3] != "15" || rows[2][4] != "2" || rows[2][6] != "13" {
					t.Errorf("supplies rows %v", rows)
				}
			case "disinfection":
				if rows[1][1] != "2020-02-13 08:00" || rows[1][2] != "一号车间" {
					t.Errorf("disinfection rows %v", rows)
				}
			case "training":
				if rows[1][1] != "2020-02-12" || rows[1][3] != "2" {
					t.Errorf("training rows %v", rows)
				}
			}
		}
		// The date filter.
		if _, _, data := ent.getBytes("/ledgers/disinfection/export?from=2020-02-14"); true {
			if _, rows := openSheet(t, data); len(rows) != 1 {
				t.Errorf("filtered export: %v", rows)
			}
		}

		// Scope: another enterprise's ledger is not found.
		grid := w.login(auth.Grid)
		if status, _ := grid.get("/ledgers/disinfection?enterprise=" + itoa(w.entB)); status != http.StatusNotFound {
			t.Fatalf("grid opens entB's ledger: %d", status)
		}
		if status, _, _ := grid.getBytes("/ledgers/masks/export?enterprise=" + itoa(w.entB)); status != http.StatusNotFound {
			t.Fatalf("grid exports entB's ledger: %d", status)
		}
		if st := w.api(auth.Park, "GET", "/api/v1/ledgers/masks?enterprise="+itoa(w.entB), nil, nil); st != http.StatusNotFound {
			t.Fatalf("park reads entB's ledger: %d", st)
		}
		if st := w.api(auth.Park, "POST", "/api/v1/ledgers/masks", map[string]any{"enterprise_id": w.entB, "quantity": 1, "person": "x"}, nil); st != http.StatusNotFound {
			t.Fatalf("park writes entB's ledger: %d", st)
		}
		if status, body := grid.get("/ledgers/disinfection?enterprise=" + ea); status != http.StatusOK || !strings.Contains(body, "一号车间") {
			t.Fatalf("grid reads entA's ledger: %d", status)
		}
	})
}

func TestDailyReportJourney(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.rosterClock()
		w.employee(t, "甲一", 1)
		w.employee(t, "甲二", 2)
		if st := w.api(auth.Enterprise, "POST", "/api/v1/ledgers/supplies", map[string]any{"item": "masks", "quantity": 13, "at": "2020-02-13T08:00:00+08:00"}, nil); st != http.StatusCreated {
			t.Fatalf("masks in: %d", st)
		}
		var d dailyAnswer
		if st := w.api(auth.Town, "GET", "/api/v1/reports/daily?date=2020-02-13&enterprise="+itoa(w.entA), nil, &d); st != http.StatusOK || len(d.Items) != 1 {
			t.Fatalf("report: %d %+v", st, d)
		}
		r := d.Items[0]
		if r.OnSite != 2 || r.Isolating != 0 || r.MaskStock != 13 || r.CoverDays != 6.5 || !r.CoverWarning || r.Confirmed || !r.Zero {
			t.Fatalf("figures %+v", r)
		}
		if st := w.api(auth.Town, "GET", "/api/v1/reports/daily?enterprise="+itoa(w.entB), nil, nil); st != http.StatusNotFound {
			t.Fatalf("town A reads entB's report: %d", st)
		}
		if st := w.api(auth.Grid, "POST", "/api/v1/reports/daily/confirm", map[string]any{"enterprise_id": w.entA, "date": "2020-02-13"}, nil); st != http.StatusForbidden {
			t.Fatalf("grid confirms: %d", st)
		}
		// The enterprise admin confirms from the page: nothing to report, a zero report.
		ent := w.login(auth.Enterprise)
		if status, loc := ent.post("/reports/daily/confirm", url.Values{"enterprise_id": {itoa(w.entA)}, "date": {"2020-02-13"}, "note": {"无异常"}}); status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", status, loc)
		}
		if status, body := ent.post("/reports/daily/confirm", url.Values{"date": {"2020-02-13"}}); status != http.StatusConflict || !strings.Contains(body, "已确认") {
			t.Fatalf("confirm twice: %d", status)
		}
		d = dailyAnswer{}
		if st := w.api(auth.Town, "GET", "/api/v1/reports/daily?date=2020-02-13", nil, &d); st != http.StatusOK || d.Total != 1 || d.Confirmed != 1 ||
			!d.Items[0].Confirmed || !d.Items[0].Zero || d.Items[0].ConfirmedBy == "" || d.Items[0].OnSite != 2 {
			t.Fatalf("after confirming: %d %+v", st, d)
		}
		// The grid and the town see it; it exports.
		for _, role := range []auth.Role{auth.Grid, auth.Town} {
			b := w.login(role)
			status, body := b.get("/reports/daily?date=2020-02-13")
			if status != http.StatusOK || !strings.Contains(body, "零报告") || !strings.Contains(body, "甲镇精密机械有限公司") {
				t.Fatalf("%s sees the reports: %d\n%s", role, status, body)
			}
			status, _, data := b.getBytes("/reports/daily/export?date=2020-02-13")
			if status != http.StatusOK {
				t.Fatalf("export: %d", status)
			}
			_, rows := openSheet(t, data)
			if len(rows) != 2 || rows[0][0] != "企业名称" || rows[1][0] != "甲镇精密机械有限公司" || rows[1][2] != "2" || rows[1][10] != "零报告" {
				t.Fatalf("daily export rows: %v", rows)
			}
		}
		// The command (county) sees both towns: one confirmed, one not yet.
		d = dailyAnswer{}
		if st := w.api(auth.Command, "GET", "/api/v1/reports/daily?date=2020-02-13", nil, &d); st != http.StatusOK || d.Total != 2 || d.Confirmed != 1 {
			t.Fatalf("county: %d %+v", st, d)
		}
	})
}
