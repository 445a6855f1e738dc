package citygen_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/citygen"
	"fugong/internal/crypt"
	"fugong/internal/enterprise"
	"fugong/internal/idnum"
	"fugong/internal/list"
	"fugong/internal/pgtest"
	"fugong/internal/roster"
	"fugong/internal/sign"
	"fugong/internal/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

var small = citygen.Config{Counties: 2, Enterprises: 300, Employees: 3000, Days: 3, Seed: 7}

// at is the fixed clock of the tests: 10:00 in Shanghai.
var at = time.Date(2020, 2, 20, 2, 0, 0, 0, time.UTC)

// city generates the small city into a fresh database of the engine and returns the store
// and a plain connection for reading it back.
func city(t *testing.T, engine store.Engine) (*store.Store, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	dsn, driver := filepath.Join(t.TempDir(), "fugong.db"), "sqlite"
	if engine == store.Postgres {
		if ok, why := pgtest.Available(); !ok {
			t.Skip(why)
		}
		dsn, driver = pgtest.NewDatabase(t), "pgx"
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return at }
	box, err := crypt.New(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db, store.Config{Box: box, Signer: sign.NewSigner(ed25519.NewKeyFromSeed(make([]byte, 32)))})
	res, err := citygen.Generate(ctx, st, small, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Logins) != 5 {
		t.Errorf("logins = %v", res.Logins)
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	pg[raw] = engine == store.Postgres
	return st, raw
}

// pg names the plain connections to PostgreSQL, whose placeholders are $1, $2…
var pg = map[*sql.DB]bool{}

func rebind(raw *sql.DB, q string) string {
	if !pg[raw] {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func count(t *testing.T, raw *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(rebind(raw, q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestCity(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) { testCity(t, engine) })
	}
}

func testCity(t *testing.T, engine store.Engine) {
	ctx := context.Background()
	st, raw := city(t, engine)
	pol := st.Policy()

	// Counts per table.
	exact := map[string]int{"enterprises": small.Enterprises, "employees": small.Employees, "users": 5}
	for table, want := range exact {
		if got := count(t, raw, "SELECT COUNT(*) FROM "+table); got != want {
			t.Errorf("%s: %d rows, want %d", table, got, want)
		}
	}
	for _, table := range []string{"regions", "parks", "departments", "applications", "application_events", "notices", "passes",
		"health_checks", "health_followups", "gate_events", "ledger_entries", "daily_reports"} {
		if got := count(t, raw, "SELECT COUNT(*) FROM "+table); got == 0 {
			t.Errorf("%s: no rows", table)
		}
	}
	if got, want := count(t, raw, "SELECT COUNT(*) FROM regions WHERE LENGTH(code) = 6 AND code <> ?", citygen.City), small.Counties; got != want {
		t.Errorf("counties: %d, want %d", got, want)
	}
	if n := count(t, raw, "SELECT COUNT(*) FROM notices n JOIN applications a ON a.id = n.application_id WHERE a.status <> 'approved'"); n != 0 {
		t.Errorf("%d notices of applications not approved", n)
	}
	if n := count(t, raw, "SELECT COUNT(*) FROM applications WHERE status = 'approved'"); n != count(t, raw, "SELECT COUNT(*) FROM notices") {
		t.Errorf("approved applications without a notice")
	}
	for _, status := range []string{"draft", "returned", "approved", "rejected", "withdrawn"} {
		if count(t, raw, "SELECT COUNT(*) FROM applications WHERE status = ?", status) == 0 {
			t.Errorf("no application %s", status)
		}
	}
	for _, status := range []string{"active", "requested", "suspended"} {
		if count(t, raw, "SELECT COUNT(*) FROM passes WHERE status = ?", status) == 0 {
			t.Errorf("no pass %s", status)
		}
	}
	if count(t, raw, "SELECT COUNT(*) FROM health_checks WHERE fever = TRUE") == 0 {
		t.Error("no fever")
	}
	// Two readings a day of everyone on site: each person's readings come in pairs.
	if n := count(t, raw, "SELECT COUNT(*) FROM (SELECT employee_id, day FROM health_checks GROUP BY employee_id, day HAVING COUNT(*) <> 2) x"); n != 0 {
		t.Errorf("%d person-days without two readings", n)
	}

	// The audit chain holds.
	if n, err := st.VerifyAudit(ctx); err != nil || n == 0 {
		t.Errorf("audit: %d rows, %v", n, err)
	}

	// Every person: a valid ID number sealed with the store's key, and the clock columns
	// as roster.Clock says today.
	stored := map[int64][3]string{}
	rows, err := raw.Query("SELECT id, phase, phase_next, journey_too_long FROM employees")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var phase, next string
		var long bool
		if err := rows.Scan(&id, &phase, &next, &long); err != nil {
			t.Fatal(err)
		}
		stored[id] = [3]string{phase, next, fmt.Sprint(long)}
	}
	rows.Close()
	phases := map[roster.Phase]int{}
	origins := map[string]int{}
	loc := pol.Location()
	err = st.Roster().Each(ctx, auth.System, roster.Filter{}, true, func(it roster.Item) error {
		if err := idnum.Validate(it.IDNumber); err != nil {
			t.Errorf("person %d: %v", it.ID, err)
		}
		s := roster.Clock(pol, it.Employee, at).Stored(it.Employee, loc)
		want := [3]string{string(s.Phase), roster.FormatDate(s.Next, loc), fmt.Sprint(s.JourneyTooLong)}
		if got := stored[it.ID]; got != want {
			t.Errorf("person %d: stored clock %v, want %v", it.ID, got, want)
		}
		phases[s.Phase]++
		origins[it.Origin]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ph := range roster.Phases {
		if phases[ph] == 0 {
			t.Errorf("nobody %s", ph)
		}
	}
	for _, oc := range pol.OriginClasses {
		if origins[oc.Code] == 0 {
			t.Errorf("nobody from %s", oc.Code)
		}
	}
	if n := count(t, raw, "SELECT COUNT(*) FROM employees WHERE return_date = ?", at.In(loc).Format("2006-01-02")); n == 0 {
		t.Error("nobody back today")
	}
	var policy, day string
	if err := raw.QueryRow(rebind(raw, "SELECT policy, day FROM clock_state WHERE id = 1")).Scan(&policy, &day); err != nil || policy != pol.Version || day != at.In(loc).Format("2006-01-02") {
		t.Errorf("clock_state = %q %q, %v", policy, day, err)
	}

	// Every category; valid credit codes.
	ents, total, err := st.ListEnterprises(ctx, auth.System, enterprise.Filter{Page: list.Page{Size: list.MaxSize}})
	if err != nil || total != small.Enterprises {
		t.Fatalf("enterprises: %d, %v", total, err)
	}
	cats := map[string]bool{}
	for _, e := range ents {
		cats[e.Category] = true
		if err := enterprise.ValidateUSCC(e.USCC); err != nil {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
	for _, c := range pol.Categories {
		if !cats[c.Code] {
			t.Errorf("no enterprise of %s", c.Code)
		}
	}

	// The town official sees its town only.
	u, err := st.GetUserByName(ctx, "town")
	if err != nil {
		t.Fatal(err)
	}
	town := u.Principal()
	prefix := town.Scope.Region
	seen, total, err := st.ListEnterprises(ctx, town, enterprise.Filter{Page: list.Page{Size: list.MaxSize}})
	if err != nil {
		t.Fatal(err)
	}
	if want := count(t, raw, "SELECT COUNT(*) FROM enterprises WHERE region_code LIKE ?", prefix+"%"); total != want || total == 0 || total == small.Enterprises {
		t.Errorf("town sees %d enterprises, its town has %d of %d", total, want, small.Enterprises)
	}
	for _, e := range seen {
		if !strings.HasPrefix(e.RegionCode, prefix) {
			t.Errorf("town %s sees %s in %s", prefix, e.Name, e.RegionCode)
		}
	}
	_, people, _, err := st.Roster().List(ctx, town, roster.Filter{Page: list.Page{Size: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if want := count(t, raw, "SELECT COUNT(*) FROM employees m JOIN enterprises e ON e.id = m.enterprise_id WHERE e.region_code LIKE ?", prefix+"%"); people != want || people == small.Employees {
		t.Errorf("town sees %d people, its town has %d", people, want)
	}
	// The city's roster counts (added up per enterprise) are the people's.
	_, _, counts, err := st.Roster().List(ctx, auth.System, roster.Filter{Page: list.Page{Size: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for phase, got := range map[roster.Phase]int{roster.Isolating: counts.Isolating, roster.Monitoring: counts.Monitoring,
		roster.Cleared: counts.Cleared, roster.NotReturned: counts.NotReturned, roster.AdvisedNotReturn: counts.AdvisedNotReturn} {
		if want := count(t, raw, "SELECT COUNT(*) FROM employees WHERE phase = ?", string(phase)); got != want || got == 0 {
			t.Errorf("the city's roster counts %d %s, the people %d", got, phase, want)
		}
	}
	if counts.Total != small.Employees {
		t.Errorf("the city's roster counts %d people of %d", counts.Total, small.Employees)
	}
	// The enterprise account: a roster of a few hundred with passes.
	u, err = st.GetUserByName(ctx, "enterprise")
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, raw, "SELECT COUNT(*) FROM passes WHERE enterprise_id = ? AND status = 'active'", u.Scope.ID); n == 0 {
		t.Error("the enterprise account's enterprise holds no active pass")
	}
}

// digest sums a table's rows in id order, leaving out the sealed ID numbers (sealed with
// a fresh nonce each time).
func digest(t *testing.T, raw *sql.DB, table, cols, order string) string {
	t.Helper()
	rows, err := raw.Query("SELECT " + cols + " FROM " + table + " ORDER BY " + order)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names, _ := rows.Columns()
	h := sha256.New()
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if tm, ok := v.(time.Time); ok {
				v = tm.UTC()
			}
			fmt.Fprintf(h, "%v|", v)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestSameSeedSameCity(t *testing.T) {
	_, a := city(t, store.SQLite)
	_, b := city(t, store.SQLite)
	for _, tc := range [][3]string{
		{"regions", "code, name, level, parent_code", "code"},
		{"enterprises", "*", "id"},
		{"employees", "id, enterprise_id, name, id_index, id_masked, phone, department, origin, home_address, return_date, journey_hours, phase, phase_next, journey_too_long", "id"},
		{"applications", "*", "id"},
		{"application_events", "*", "id"},
		{"notices", "*", "id"},
		{"passes", "*", "id"},
		{"health_checks", "*", "id"},
		{"gate_events", "*", "id"},
		{"ledger_entries", "*", "id"},
		{"daily_reports", "*", "id"},
	} {
		if da, db := digest(t, a, tc[0], tc[1], tc[2]), digest(t, b, tc[0], tc[1], tc[2]); da != db {
			t.Errorf("%s differ between two cities of one seed", tc[0])
		}
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []citygen.Config{
		{Counties: 0, Enterprises: 10, Employees: 10, Days: 1},
		{Counties: 99, Enterprises: 1000, Employees: 1000, Days: 1},
		{Counties: 2, Enterprises: 1, Employees: 10, Days: 1},
		{Counties: 1, Enterprises: 10, Employees: 5, Days: 1},
		{Counties: 1, Enterprises: 1, Employees: 1000, Days: 1}, // 999 at most per enterprise
		{Counties: 1, Enterprises: 10, Employees: 10, Days: 0},
	} {
		if err := c.Check(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if err := citygen.Full().Check(); err != nil {
		t.Errorf("full size: %v", err)
	}
}

// BenchmarkCity generates a city of FUGONG_CITY_EMPLOYEES people (default 100,000, in
// 5,000 enterprises of 2 counties, 14 days; FUGONG_CITY_FULL=1 the full default size) on
// SQLite, or on PostgreSQL with FUGONG_CITY_ENGINE=postgres, and reports the rows
// written per second.
func BenchmarkCity(b *testing.B) {
	if testing.Short() {
		b.Skip("large")
	}
	c := citygen.Config{Counties: 2, Enterprises: 5000, Employees: 100_000, Days: 14, Seed: 1}
	if v := os.Getenv("FUGONG_CITY_EMPLOYEES"); v != "" {
		fmt.Sscan(v, &c.Employees)
		c.Enterprises = max(c.Employees/20, 1)
	}
	if os.Getenv("FUGONG_CITY_FULL") == "1" {
		c = citygen.Full()
	}
	for range b.N {
		ctx := context.Background()
		dsn := filepath.Join(b.TempDir(), "fugong.db")
		if os.Getenv("FUGONG_CITY_ENGINE") == "postgres" {
			dsn = pgtest.NewDatabase(b)
		}
		db, err := store.Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		res, err := citygen.Generate(ctx, store.New(db, store.Config{}), c, func(t citygen.Table) {
			fmt.Fprintf(os.Stderr, "%-22s %10d rows %8s\n", t.Name, t.Rows, t.Took.Round(time.Millisecond))
		})
		if err != nil {
			b.Fatal(err)
		}
		var rows int64
		for _, t := range res.Tables {
			rows += t.Rows
		}
		b.ReportMetric(float64(rows)/res.Took.Seconds(), "rows/s")
		db.Close()
	}
}
