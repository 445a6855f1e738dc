package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/files"
	"fugong/internal/list"
	"fugong/internal/region"
	"fugong/internal/roster"
	"fugong/internal/sign"
	"fugong/internal/store"
)

func demoCommand() *command {
	return &command{
		name:    "demo",
		zh:      "演示模式",
		summary: "Serve a fictional demo county on a fresh SQLite database, or on PostgreSQL",
		details: `
Creates a SQLite database in a new temporary directory (removed again on exit), or in
--data, seeds it with the fictional county 示范县 (code 330402): three towns and
streets, their villages and communities, two parks, the policy's reviewing
departments, about sixty enterprises and one account per role. It prints the address
and the demo logins, then serves like "fugong serve" until SIGINT or SIGTERM.

With --db postgres://… the demo lives in that PostgreSQL database instead, which must
be empty (create one with "createdb fugong_demo") or hold a demo seeded before; a
database holding Fugong data that is not a demo is refused, and no demo is seeded
into it (the same goes for a --data directory holding such a database). The signing
key, the key of the ID numbers and the uploaded files stay in --data (or a temporary
directory, removed on exit), as with SQLite.

Applications are filed at every stage, and four enterprises get a workforce: the demo
enterprise and the first three whose application is approved, each a roster of 24 to
37 people across the quarantine clock's phases (isolating, monitored, cleared, not
back yet, some with a journey over the policy's limit). The three approved ones hold
entry passes for everyone allowed to work: most active, the last two of each still
waiting for approval, and two temperature readings today (morning and afternoon) of
every holder of an approved pass. At the first of them one afternoon reading is a
fever: that pass is suspended and a follow-up is open. That enterprise also keeps a
day of ledgers (yesterday's disinfection, supplies in and out, used masks, training)
and has yesterday's daily report confirmed.

What the accounts see:
  enterprise           the demo enterprise's roster; no passes yet (its application
                       is a draft to submit), empty ledgers
  staff, guard         the same enterprise: staff's My pass page shows its own
                       person file, with no pass until the enterprise has a notice
  enterprise2, staff2, guard2
                       the first approved enterprise with passes: its roster,
                       passes, the fever and its follow-up, ledgers and report;
                       staff2's My pass page is green; guard2 scans passes
  grid                 its village: the demo enterprise and one approved enterprise,
                       whose two waiting passes it may approve
  town, towncmd, park  the demo enterprise and two approved ones, with the fever,
                       its follow-up, the ledgers and the daily report
  command, admin       the whole county: all four workforces
  reviewer             no rosters or passes; the ledgers and daily reports of its
                       department's region
Under a policy whose passes climb a grid chain (policies/variant-c-county.toml) a
fifth workforce is seeded, at an enterprise below designated size in 桑园村: its last
passes are the grid account's returning staff list to approve, and the town's next.
With a policy that has no origin classes no workforce is seeded.

A demo seeded before is reused as it is, with whatever was changed in it since: a
--data directory holding one, or a --db database together with the --data directory of
its first start. The database's ID numbers are sealed and its notices signed with that
directory's keys, so a seeded PostgreSQL demo is only reused with the same --data: to
start one again later, give --data from the first start on (without it, the keys go
with the temporary directory, and a second start is refused until the database is
emptied). The demo reads no FUGONG_* environment variables, so it never touches a real
database by accident. Do not expose it: every account has the same, published password.`,
		examples: []string{
			"fugong demo",
			"fugong demo --addr 127.0.0.1:9090 --data ./demo-data",
			"fugong demo --policy policies/variant-d-street.toml",
			"fugong demo --db postgres://fugong@127.0.0.1/fugong_demo --data ./demo-keys",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			addr := fs.String("addr", "127.0.0.1:8080", "listen `address` host:port")
			data := fs.String("data", "", "`directory` to keep the demo database (SQLite), keys and files in (default a temporary directory, removed on exit)")
			dbURL := fs.String("db", "", "PostgreSQL `URL` postgres://… of an empty database or an earlier demo, to serve the demo from instead of SQLite")
			policyFile := fs.String("policy", "", "local policy TOML `file` (default the embedded policy)")
			logLevel := fs.String("log-level", "info", "`level` of logging: debug, info, warn or error")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if *dbURL != "" && !store.IsPostgres(*dbURL) {
					return usagef("--db %q: give a PostgreSQL URL such as postgres://user@127.0.0.1/fugong_demo; a SQLite demo lives in --data", redactDSN(*dbURL))
				}
				log, err := newLogger(a, *logLevel)
				if err != nil {
					return err
				}
				pol, err := a.loadPolicy(*policyFile)
				if err != nil {
					return err
				}
				dir := *data
				if dir == "" {
					if dir, err = os.MkdirTemp("", "fugong-demo-"); err != nil {
						return err
					}
					defer os.RemoveAll(dir)
				}
				dsn := *dbURL
				if dsn == "" {
					dsn = filepath.Join(dir, "fugong.db")
				}
				where := demoWhere{dsn: dsn, dir: dir, data: *data}
				db, err := store.OpenExclusive(ctx, dsn)
				if err != nil {
					return fmt.Errorf("%s: %w", where.name(), err)
				}
				defer db.Close()
				// A database of another application gets no Fugong tables.
				if other, err := db.OtherTables(ctx); err != nil {
					return fmt.Errorf("%s: %w", where.name(), err)
				} else if len(other) > 0 {
					return fmt.Errorf("%s holds the tables of another application (%s); the demo only seeds an empty database "+
						"or reuses a demo seeded before, and adds nothing to this one. To try the demo, %s",
						where.name(), strings.Join(other[:min(len(other), 5)], ", "), where.startOver())
				}
				if _, err := db.Migrate(ctx); err != nil {
					return fmt.Errorf("%s: migrate: %w", where.name(), err)
				}
				seeded, err := demoState(ctx, db, where)
				if err != nil {
					return err
				}
				if seeded {
					if err := where.keysPresent(); err != nil {
						return err
					}
				}
				signer, err := sign.LoadOrCreateKey(filepath.Join(dir, signingKeyName))
				if err != nil {
					return err
				}
				fs, err := files.New(filepath.Join(dir, "files"))
				if err != nil {
					return err
				}
				// The key serve uses for the ID numbers, so the seeded rosters open.
				idKey, err := crypt.LoadOrCreateKey(filepath.Join(dir, idKeyName))
				if err != nil {
					return err
				}
				st := store.New(db, store.Config{Policy: pol, Signer: signer, Box: idKey})
				if seeded {
					if err := demoKeyOpens(ctx, st, where); err != nil {
						return err
					}
				}
				logins, err := demo.Seed(ctx, st, fs)
				if err != nil {
					return fmt.Errorf("%w (%s)", err, where.startOver())
				}
				ln, err := net.Listen("tcp", *addr)
				if err != nil {
					return err
				}
				log.Info("fugong demo starting", "version", version(), "engine", db.Engine, "reused", seeded,
					"policy", pol.Locality.NameEN, "policy_source", pol.Source, "policy_version", pol.Version)
				printDemoBanner(a.stdout, baseURL(ln.Addr()), where, seeded, logins)
				return serveHTTP(ctx, ln, db, pol, log, false, dir)
			}
		},
	}
}

// demoWhere is where a demo lives: its database and its directory of keys and files.
type demoWhere struct {
	dsn  string // the SQLite file or the PostgreSQL URL
	dir  string // the directory of keys and files
	data string // --data as given; "" for a temporary directory
}

func (w demoWhere) postgres() bool { return store.IsPostgres(w.dsn) }

// name names the database for messages, without a password.
func (w demoWhere) name() string {
	if w.postgres() {
		return "the PostgreSQL database " + redactDSN(w.dsn)
	}
	return w.dsn
}

// startOver says how to begin again with an empty database.
func (w demoWhere) startOver() string {
	switch {
	case w.postgres():
		return "drop the database, create it empty and try again, or give --db another, empty database"
	case w.data != "":
		return "remove " + w.data + " and try again, or give --data a new directory"
	default:
		return "try again"
	}
}

// keysPresent checks, before a seeded database is reused, that the directory holds the
// keys its ID numbers were sealed and its notices signed with: new keys would be made
// otherwise, and the rosters would not open.
func (w demoWhere) keysPresent() error {
	if w.data == "" {
		return fmt.Errorf("%s already holds a demo, seeded with the keys of the --data directory of its first start; "+
			"give that directory to reuse it (fugong demo --db URL --data DIR), or %s", w.name(), w.startOver())
	}
	for _, k := range keyNames {
		if _, err := os.Stat(filepath.Join(w.dir, k)); err != nil {
			return fmt.Errorf("%s already holds a demo, but %s holds no %s: it is not the --data directory the demo was seeded with. "+
				"Give that directory, or %s", w.name(), w.dir, k, w.startOver())
		}
	}
	return nil
}

// demoState says whether db holds a finished demo to reuse (true) or is empty, to seed
// (false); a database holding anything else is an error that says what to do.
func demoState(ctx context.Context, db *store.DB, w demoWhere) (bool, error) {
	seeded, err := demo.Seeded(ctx, db)
	if err != nil {
		return false, err
	}
	if seeded {
		// A demo has its fictional county; an installation with an account named admin
		// is not one.
		if r, err := db.GetRegion(ctx, auth.System, demo.County); err == nil && r.Name == demoCountyName {
			return true, nil
		} else if err != nil && apperr.KindOf(err) != apperr.NotFound {
			return false, err
		}
	}
	head, err := db.AuditHead(ctx)
	if err != nil {
		return false, err
	}
	_, users, err := db.ListUsers(ctx, auth.System, auth.UserFilter{})
	if err != nil {
		return false, err
	}
	_, regions, err := db.ListRegions(ctx, auth.System, region.Filter{})
	if err != nil {
		return false, err
	}
	if head.Seq == 0 && users == 0 && regions == 0 {
		return false, nil
	}
	what := "holds data that is not a Fugong demo"
	if !seeded {
		if r, err := db.GetRegion(ctx, auth.System, demo.County); err == nil && r.Name == demoCountyName {
			what = "holds an unfinished demo (its seeding stopped half-way)"
		}
	}
	return false, fmt.Errorf("%s %s (%d accounts, %d regions at the top, %d rows of audit trail); the demo only seeds an empty "+
		"database or reuses a demo seeded before, and adds nothing to this one. To try the demo, %s", w.name(), what, users, regions, head.Seq, w.startOver())
}

// demoCountyName is the name of the demo's fictional county.
const demoCountyName = "示范县"

// demoKeyOpens checks that the key of the ID numbers opens the seeded rosters.
func demoKeyOpens(ctx context.Context, st *store.Store, w demoWhere) error {
	items, _, _, err := st.Roster().List(ctx, auth.System, roster.Filter{Page: list.Page{Number: 1, Size: 1}})
	if err != nil || len(items) == 0 {
		return err
	}
	if _, err := st.Roster().Get(ctx, auth.System, items[0].ID); errors.Is(err, crypt.ErrOpen) {
		return fmt.Errorf("%s/%s is not the key the demo in %s was seeded with: its ID numbers do not open. "+
			"Give the --data directory of the demo's first start, or %s", w.dir, idKeyName, w.name(), w.startOver())
	} else if err != nil {
		return err
	}
	return nil
}

func printDemoBanner(w io.Writer, url string, where demoWhere, reused bool, logins demo.Logins) {
	fmt.Fprintf(w, "Fugong demo — 示范县 (fictional county 330402)\n\n")
	fmt.Fprintf(w, "  URL:       %s\n", url)
	note := ""
	switch {
	case where.data == "" && where.postgres():
		note = " (keys and files; temporary, removed on exit: give --data to start this database again later)"
	case where.data == "":
		note = " (temporary, removed on exit)"
	case reused && !where.postgres():
		note = " (existing demo reused)"
	}
	if where.postgres() {
		db := "  database:  " + redactDSN(where.dsn)
		if reused {
			db += " (existing demo reused)"
		}
		fmt.Fprintln(w, db)
	}
	fmt.Fprintf(w, "  data:      %s%s\n", where.dir, note)
	fmt.Fprintf(w, "  password:  %s (every account)\n\n", demo.Password)
	rows := [][4]string{{"USER", "ROLE", "SCOPE", "WHO"}}
	for _, l := range logins {
		rows = append(rows, [4]string{l.Username, string(l.Role), l.Scope, l.Description})
	}
	var width [3]int
	for _, r := range rows {
		for i := range width {
			width[i] = max(width[i], len(r[i]))
		}
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %-*s  %-*s  %s\n", width[0], r[0], width[1], r[1], width[2], r[2], r[3])
	}
	fmt.Fprintf(w, "\nSign in at %s/login. Stop with Ctrl-C.\n", url)
}
