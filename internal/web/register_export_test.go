package web_test

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/gate"
	"fugong/internal/health"
	"fugong/internal/roster"
	"fugong/internal/store/storetest"
	"fugong/internal/xlsx"
)

// TestRegisterExportsMany: a day's gate and temperature registers of a few thousand rows
// export from one query, row by row; each file reads back with every row, newest first.
func TestRegisterExportsMany(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		const visitors, people, readingsEach = 2500, 300, 10
		// Visitors at the gate, registered by several guards at once.
		var wg sync.WaitGroup
		errs := make(chan error, visitors)
		next := make(chan int)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					temp := 36.5
					_, err := w.db.Gate().Register(w.ctx, auth.System, gate.Entry{EnterpriseID: w.entA, Kind: gate.KindVisitor,
						Name: fmt.Sprintf("访客%04d", i), Purpose: "送货", Host: "门卫", Temperature: &temp, Checkpoint: "东门"}, "")
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		for i := 0; i < visitors; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("register a visitor: %v", err)
		}

		// Readings of the roster, ten each.
		ret := time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)
		rows := make([]roster.ImportRow, people)
		for i := range rows {
			rows[i] = roster.ImportRow{Num: i + 2, E: roster.Employee{Name: fmt.Sprintf("测温员工%03d", i), IDNumber: idNumber(t, i), Origin: "local", ReturnDate: ret}}
		}
		if res, err := w.db.Roster().Import(w.ctx, auth.System, w.entA, storetest.Rows(rows), len(rows), false, nil); err != nil || res.Created != people {
			t.Fatalf("roster: %+v %v", res, err)
		}
		var ids []int64
		if err := w.db.Roster().Each(w.ctx, auth.System, roster.Filter{EnterpriseID: w.entA}, false, func(it roster.Item) error {
			ids = append(ids, it.Employee.ID)
			return nil
		}); err != nil || len(ids) < people {
			t.Fatalf("roster: %d people, %v", len(ids), err)
		}
		var batch []health.Reading
		for r := 0; r < readingsEach; r++ {
			for _, id := range ids[:people] {
				batch = append(batch, health.Reading{EmployeeID: id, Temperature: 36.1 + float64(r)/10, Checkpoint: "车间"})
				if len(batch) == health.MaxBatch {
					if _, err := w.db.Health().Record(w.ctx, auth.System, batch); err != nil {
						t.Fatalf("readings: %v", err)
					}
					batch = batch[:0]
				}
			}
		}
		if len(batch) > 0 {
			if _, err := w.db.Health().Record(w.ctx, auth.System, batch); err != nil {
				t.Fatalf("readings: %v", err)
			}
		}

		b := w.login(auth.Town)
		readBack := func(path string, cols []xlsx.Column) []xlsx.Row {
			t.Helper()
			status, ctype, data := b.getBytes(path)
			if status != http.StatusOK {
				t.Fatalf("%s: %d %.300s", path, status, data)
			}
			// The headers go out with the start of the file, before the last row.
			if ctype != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
				t.Errorf("%s: Content-Type %q (%d bytes)", path, ctype, len(data))
			}
			var got []xlsx.Row
			if err := xlsx.Read(bytes.NewReader(data), cols, func(r xlsx.Row) error {
				got = append(got, r)
				return nil
			}, nil); err != nil {
				t.Fatalf("%s does not read back: %v", path, err)
			}
			return got
		}
		newestFirst := func(what string, got []xlsx.Row) {
			t.Helper()
			for i := 1; i < len(got); i++ {
				if got[i].Values["at"] > got[i-1].Values["at"] {
					t.Fatalf("%s: row %d (%s) is newer than the row above (%s)", what, got[i].Num, got[i].Values["at"], got[i-1].Values["at"])
				}
			}
		}

		got := readBack("/registers/gate/export?checkpoint=东门", gateRegisterCols)
		if len(got) != visitors {
			t.Fatalf("gate export: %d rows, want %d", len(got), visitors)
		}
		names := map[string]bool{}
		for _, r := range got {
			names[r.Values["name"]] = true
			if r.Values["ent"] != "甲镇精密机械有限公司" || r.Values["kind"] != "访客" || r.Values["result"] != "准予通行" {
				t.Fatalf("gate export row %d: %v", r.Num, r.Values)
			}
		}
		for i := 0; i < visitors; i++ {
			if !names[fmt.Sprintf("访客%04d", i)] {
				t.Fatalf("访客%04d missing from the gate export", i)
			}
		}
		newestFirst("gate export", got)

		got = readBack("/registers/temperature/export?checkpoint=车间", temperatureRegisterCols)
		if len(got) != people*readingsEach {
			t.Fatalf("temperature export: %d rows, want %d", len(got), people*readingsEach)
		}
		perTemp := map[string]int{}
		for _, r := range got {
			perTemp[r.Values["temp"]]++
			if r.Values["name"] == "" || r.Values["name"] == r.Values["ent"] || r.Values["source"] != "检测点" {
				t.Fatalf("temperature export row %d: %v", r.Num, r.Values)
			}
		}
		for r := 0; r < readingsEach; r++ {
			if k := strconv.FormatFloat(math.Round((36.1+float64(r)/10)*10)/10, 'f', -1, 64); perTemp[k] != people {
				t.Fatalf("temperature export: %d readings of %s, want %d (%v)", perTemp[k], k, people, perTemp)
			}
		}
		newestFirst("temperature export", got)
	})
}

// The columns of the register exports as a reader asks for them.
var (
	gateRegisterCols = []xlsx.Column{{Key: "at", Header: "时间"}, {Key: "ent", Header: "企业"}, {Key: "kind", Header: "类别"},
		{Key: "name", Header: "姓名"}, {Key: "result", Header: "结果"}}
	temperatureRegisterCols = []xlsx.Column{{Key: "at", Header: "时间"}, {Key: "ent", Header: "企业"}, {Key: "name", Header: "姓名"},
		{Key: "temp", Header: "体温(℃)"}, {Key: "source", Header: "来源"}}
)
