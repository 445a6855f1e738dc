package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/files"
	"fugong/internal/gate"
	"fugong/internal/health"
	"fugong/internal/ledger"
	"fugong/internal/region"
	"fugong/internal/retention"
	"fugong/internal/roster"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
	"fugong/internal/tip"
)

// The retention purge removes what the policy's period has passed for, and only that:
// old readings, closed follow-ups, scans and visitors, and the files of people who left
// long ago with everything of theirs; a dry run counts the same and changes nothing; the
// daily job runs it once a day.
func TestRetentionPurge(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		approveFirst(t, db, w)
		fileDir := t.TempDir()
		fs, err := files.New(fileDir)
		if err != nil {
			t.Fatal(err)
		}
		st := store.New(db, store.Config{Policy: w.pol, Signer: w.signer, Files: fs})
		at := func(day string, h int) time.Time {
			return rosterDay(t, w.pol, day).Add(time.Duration(h) * time.Hour).UTC()
		}
		set := func(day string, h int) { db.Now = func() time.Time { return at(day, h) } }
		ent := w.enterprises[0].ID
		g, err := db.CreateUser(ctx, auth.System, auth.User{Username: "guard", Role: auth.Guard, ScopeText: fmt.Sprintf("enterprise:%d", ent)}, "password-1")
		if err != nil {
			t.Fatal(err)
		}
		guard := g.Principal()

		set("2020-02-14", 9)
		tokens := map[string]string{}
		person := func(name string, n int) int64 {
			id, ps := issuedPass(t, st, w, name, n)
			tokens[name] = ps.Token
			return id
		}
		stays, cured := person("留任", 801), person("康复", 802)
		leftEarly, leftShared, leftLate := person("早离", 803), person("同证", 804), person("晚离", 805)
		cert := func(id int64, content string) string {
			c, err := fs.Put("证明.png", strings.NewReader("\x89PNG\r\n\x1a\n"+content))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Roster().SetCertificate(ctx, w.ent, id, roster.Certificate{SHA256: c.SHA256, Name: "证明.png", ContentType: c.ContentType, Size: c.Size}); err != nil {
				t.Fatal(err)
			}
			return c.SHA256
		}
		own, shared := cert(leftEarly, "only hers"), cert(stays, "shared")
		cert(leftShared, "shared")
		if _, err := st.Roster().CreateAccount(ctx, w.ent, leftEarly, "left-staff"); err != nil {
			t.Fatal(err)
		}
		read := func(id int64, temp float64) {
			t.Helper()
			if _, err := st.Health().Record(ctx, w.ent, []health.Reading{{EmployeeID: id, Temperature: temp}}); err != nil {
				t.Fatal(err)
			}
		}
		scan := func(name string) {
			t.Helper()
			if _, err := st.Gate().Scan(ctx, guard, tokens[name], nil, ""); err != nil {
				t.Fatal(err)
			}
		}
		visitor := func() {
			t.Helper()
			if _, err := st.Gate().Register(ctx, guard, gate.Entry{Kind: gate.KindVisitor, Name: "访客", Phone: "13800000000", Temperature: degrees(36.5)}, ""); err != nil {
				t.Fatal(err)
			}
		}
		set("2020-02-14", 10)
		scan("早离")
		set("2020-02-15", 8)
		read(stays, 36.5)
		read(leftEarly, 36.5)
		set("2020-02-15", 9)
		visitor()
		scan("留任")
		set("2020-02-15", 10)
		for _, id := range []int64{leftEarly, leftShared} {
			if _, err := st.Roster().MarkLeft(ctx, w.ent, id); err != nil {
				t.Fatal(err)
			}
		}
		set("2020-02-16", 8)
		read(stays, 38.5) // a follow-up still open: the reading stays with it
		read(cured, 38.6) // a follow-up closed the next day: both go
		set("2020-02-16", 9)
		if _, err := st.Ledgers().ConfirmDailyReport(ctx, w.ent, ent, "2020-02-15", ""); err != nil {
			t.Fatal(err)
		}
		set("2020-02-17", 9)
		fus, _, err := st.Health().FollowUps(ctx, w.ent, health.FollowUpFilter{OpenOnly: true})
		if err != nil || len(fus) != 2 {
			t.Fatalf("follow-ups: %+v %v", fus, err)
		}
		for _, f := range fus {
			if f.EmployeeID == cured {
				if _, err := st.Health().CloseFollowUp(ctx, w.ent, f.ID, health.FollowUpClose{Isolation: "居家", Referral: "无", Outcome: "体温正常"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		set("2020-02-20", 8) // the cut-off day: kept
		read(stays, 36.6)
		// A refused scan of someone who left goes with the person's file, whatever its day.
		set("2020-02-20", 9)
		scan("早离")
		set("2020-05-10", 9) // left, but not long enough ago
		if _, err := st.Roster().MarkLeft(ctx, w.ent, leftLate); err != nil {
			t.Fatal(err)
		}
		set("2020-05-19", 8)
		read(stays, 36.4)
		visitor()
		scan("留任")

		counts := func() map[string]int {
			out := map[string]int{}
			for name, q := range map[string]string{
				"readings":     `SELECT COUNT(*) FROM health_checks`,
				"follow_ups":   `SELECT COUNT(*) FROM health_followups`,
				"scans":        `SELECT COUNT(*) FROM gate_events WHERE kind = 'employee'`,
				"visitors":     `SELECT COUNT(*) FROM gate_events WHERE kind <> 'employee'`,
				"employees":    `SELECT COUNT(*) FROM employees`,
				"passes":       `SELECT COUNT(*) FROM passes`,
				"linked":       `SELECT COUNT(*) FROM users WHERE employee_id IS NOT NULL`,
				"disabled":     `SELECT COUNT(*) FROM users WHERE disabled = TRUE`,
				"reports":      `SELECT COUNT(*) FROM daily_reports`,
				"purge audits": `SELECT COUNT(*) FROM audit_log WHERE action = 'retention.purge'`,
			} {
				n, err := store.CountForTest(ctx, db, q)
				if err != nil {
					t.Fatal(err)
				}
				out[name] = n
			}
			return out
		}
		// An administrator of another town sees nothing of this enterprise to purge.
		if _, _, err := db.SaveRegions(ctx, auth.System, []region.Region{{Code: "330402002", Name: "乙街道"}}); err != nil {
			t.Fatal(err)
		}
		other := auth.Principal{Username: "other", Role: auth.Admin, Scope: auth.Scope{Kind: auth.ScopeRegion, Region: "330402002"}}
		if _, c, err := st.Purge(ctx, other, at("2020-05-20", 9), true); err != nil || c.Total() != 0 {
			t.Fatalf("a purge of another town: %v %v", c, err)
		}
		if _, c, err := st.Purge(ctx, other, at("2020-05-20", 9), false); err != nil || c.Total() != 0 {
			t.Fatalf("a purge of another town: %v %v", c, err)
		}
		before := counts()
		want := retention.Counts{retention.FollowUps: 1, retention.Readings: 3, retention.GateScans: 3, retention.Visitors: 1,
			retention.Passes: 2, retention.Accounts: 1, retention.Certificates: 2, retention.PersonFiles: 2, retention.Files: 1}
		now := at("2020-05-20", 9)
		set("2020-05-20", 9)

		if _, _, err := st.Purge(ctx, w.ent, now, true); apperr.KindOf(err) != apperr.Forbidden {
			t.Fatalf("a purge by an enterprise: %v", err)
		}
		plan, dry, err := st.Purge(ctx, auth.System, now, true)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Cutoff != "2020-02-20" || fmt.Sprint(dry) != fmt.Sprint(want) {
			t.Fatalf("dry run: cut-off %s, %v; want %v", plan.Cutoff, dry, want)
		}
		if after := counts(); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("a dry run changed something: %v, before %v", after, before)
		}

		_, got, err := st.Purge(ctx, auth.System, now, false)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("purge: %v, want %v", got, want)
		}
		after := counts()
		for name, gone := range map[string]int{"readings": 3, "follow_ups": 1, "scans": 3, "visitors": 1, "employees": 2, "passes": 2, "linked": 1,
			"disabled": -1, "reports": 0, "purge audits": -1} {
			if after[name] != before[name]-gone {
				t.Errorf("%s: %d before, %d after; want %d gone", name, before[name], after[name], gone)
			}
		}
		// What stays: the open follow-up with its reading, the cut-off day's reading, the
		// people still employed or who left lately, the shared certificate's file.
		if fus, _, err := st.Health().FollowUps(ctx, w.ent, health.FollowUpFilter{}); err != nil || len(fus) != 1 || fus[0].EmployeeID != stays || fus[0].Temperature != 38.5 {
			t.Errorf("follow-ups after the purge: %+v %v", fus, err)
		}
		for day, want := range map[string]int{"2020-02-15": 0, "2020-02-16": 1, "2020-02-20": 1, "2020-05-19": 1} {
			if n, err := st.Health().ChecksOn(ctx, w.ent, stays, day); err != nil || n != want {
				t.Errorf("readings of %s: %d %v, want %d", day, n, err, want)
			}
		}
		for id, want := range map[int64]bool{stays: true, cured: true, leftLate: true, leftEarly: false, leftShared: false} {
			_, err := st.Roster().Get(ctx, w.ent, id)
			if (err == nil) != want {
				t.Errorf("person %d after the purge: %v, want kept %v", id, err, want)
			}
		}
		if _, err := os.Stat(filepath.Join(fileDir, own[:2], own[2:4], own)); !os.IsNotExist(err) {
			t.Errorf("the certificate only the purged file referred to is still on disk: %v", err)
		}
		if f, err := fs.Open(shared); err != nil {
			t.Errorf("the shared certificate's file: %v", err)
		} else {
			f.Close()
		}
		if reps, _, _, err := st.Ledgers().DailyReports(ctx, w.ent, ledger.ReportFilter{}); err != nil || len(reps) == 0 {
			t.Errorf("the confirmed daily report: %+v %v", reps, err)
		}
		// One audit row a run with the counts (the other town's first), nothing of a
		// person; the trail is intact.
		es, _, err := db.ListAudit(ctx, audit.Filter{Action: "retention.purge"})
		if err != nil || len(es) != 2 || es[0].ObjectID != "2020-02-20" || !strings.Contains(es[0].Summary, `"readings":3`) ||
			!strings.Contains(es[0].Summary, `"retention_days":90`) {
			t.Fatalf("audit: %+v %v", es, err)
		}
		for _, name := range []string{"早离", "同证", "访客", "left-staff", own} {
			if strings.Contains(es[0].Summary, name) {
				t.Errorf("the audit row names %s: %s", name, es[0].Summary)
			}
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		// Again: nothing is due, and the run is audited all the same.
		if _, got, err := st.Purge(ctx, auth.System, now, false); err != nil || got.Total() != 0 {
			t.Fatalf("a second purge: %v %v", got, err)
		}
		// The daily job runs it once a day, after the missed-checks suspension.
		r, err := st.RunDailyJobs(ctx, at("2020-05-21", 0).Add(15*time.Minute))
		if err != nil || !r.Ran || !r.Purged || r.Plan.Cutoff != "2020-02-21" || r.Day != "2020-05-20" {
			t.Fatalf("daily jobs: %+v %v", r, err)
		}
		if r, err := st.RunDailyJobs(ctx, at("2020-05-21", 9)); err != nil || r.Ran || r.Purged {
			t.Fatalf("daily jobs again: %+v %v", r, err)
		}
		if n, _ := store.CountForTest(ctx, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'retention.purge'`); n != 4 {
			t.Errorf("%d purge audit rows, want 4", n)
		}
	})
}

func degrees(f float64) *float64 { return &f }

// The purge removes a file only when nothing refers to it: a tip's photo and a visit's
// photo count, like an attachment or a certificate.
func TestPurgeKeepsFilesInUse(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		w := workflowSeed(t, db, 1)
		tipped, visited, unused := strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64)
		if _, err := w.st.Tips().Submit(ctx, tip.Input{Category: "dormitory", EnterpriseID: w.enterprises[0].ID, Description: "宿舍一间住了八个人"},
			[]tip.Photo{{SHA256: tipped, ContentType: "image/jpeg", Size: 10}}, "198.51.100.9"); err != nil {
			t.Fatal(err)
		}
		if err := store.ExecForTest(ctx, db, `INSERT INTO visits (enterprise_id, visitor, day, kind, photos, created_at)
			VALUES (`+strconv.FormatInt(w.enterprises[0].ID, 10)+`, '沈', '2020-02-08', 'phone', '`+unused[:10]+`,`+visited+`', CURRENT_TIMESTAMP)`); err != nil {
			t.Fatal(err)
		}
		for sum, want := range map[string]int{tipped: 1, visited: 1, unused: 0} {
			if n, err := store.FileUsesForTest(ctx, db, sum); err != nil || n != want {
				t.Errorf("uses of %s…: %d %v, want %d", sum[:4], n, err, want)
			}
		}
	})
}
