package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"fugong/internal/citygen"
	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/sign"
	"fugong/internal/store"
)

func cityCommand() *command {
	full := citygen.Full()
	return &command{
		name:    "city",
		zh:      "生成测试城市",
		summary: "Fill an empty database with a synthetic city for testing at scale",
		details: fmt.Sprintf(`
Fills an empty database (SQLite or PostgreSQL, as "fugong serve" opens it) with a
fictional prefecture-level city, 示范市 (330400), drawn from --seed: the same seed and
sizes give the same city. By default %d counties (330402 up) of about ten towns and
streets each with their villages and communities, three parks a county, the policy's
reviewing departments; %d enterprises of every category, a few key ones, some in
parks; %d people on their rosters across every origin class and every phase of the
quarantine clock (ID numbers sealed with the installation's key in --data, the clock
columns filled); applications at every stage, with notices for the approved ones;
passes (most active, some waiting, some suspended); %d days of two temperature
readings a day of everyone at work, with a few fevers and their follow-ups; this
morning's gate scans; ledgers and confirmed daily reports of some enterprises.

The bulk is written in one transaction (COPY on PostgreSQL), with one audited summary
row per table; "fugong audit verify" passes. It prints each table's rows and rows per
second as it goes, then the accounts (password %q) and the time taken:
  city        command, the whole city
  county      command, the first county
  town        town official of the first town of the first county
  enterprise  an enterprise of that town with a roster of a few hundred and passes
  guard       its gate
Do not run it against a database in use: it refuses one holding enterprises.`,
			full.Counties, full.Enterprises, full.Employees, full.Days, demo.Password),
		examples: []string{
			"fugong city --data ./city",
			"fugong city --db postgres://fugong@localhost/city --data ./city",
			"fugong city --data ./small --counties 2 --enterprises 300 --employees 3000 --days 3 --seed 7",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var dbf dbFlags
			a.registerDB(fs, &dbf)
			c := full
			fs.IntVar(&c.Counties, "counties", c.Counties, "`number` of counties (1–98)")
			fs.IntVar(&c.Enterprises, "enterprises", c.Enterprises, "`number` of enterprises")
			fs.IntVar(&c.Employees, "employees", c.Employees, "`number` of people on the rosters")
			fs.IntVar(&c.Days, "days", c.Days, "`number` of days of temperature readings, today the last")
			fs.Uint64Var(&c.Seed, "seed", c.Seed, "`seed` of the city: the same seed and sizes give the same city")
			policyFile := fs.String("policy", a.env("FUGONG_POLICY", ""), "local policy TOML `file` (env FUGONG_POLICY; default the embedded policy)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if err := c.Check(); err != nil {
					return err
				}
				pol, err := a.loadPolicy(*policyFile)
				if err != nil {
					return err
				}
				db, _, err := openDB(ctx, &dbf)
				if err != nil {
					return err
				}
				defer db.Close()
				// The keys serve uses, so that the rosters open and the passes scan.
				signer, err := sign.LoadOrCreateKey(filepath.Join(dbf.data, "signing-key.pem"))
				if err != nil {
					return err
				}
				idKey, err := crypt.LoadOrCreateKey(filepath.Join(dbf.data, "id-key"))
				if err != nil {
					return err
				}
				st := store.New(db, store.Config{Policy: pol, Signer: signer, Box: idKey})
				fmt.Fprintf(a.stdout, "Generating %s: %d counties, %d enterprises, %d people, %d days (seed %d, %s)\n",
					citygen.CityName, c.Counties, c.Enterprises, c.Employees, c.Days, c.Seed, db.Engine)
				res, err := citygen.Generate(ctx, st, c, func(t citygen.Table) { printTable(a.stdout, t) })
				if err != nil {
					return err
				}
				printCity(a.stdout, res)
				return nil
			}
		},
	}
}

func printTable(w io.Writer, t citygen.Table) {
	if t.Rows == 0 && strings.HasPrefix(t.Name, "(") { // a step of the load, not a table
		fmt.Fprintf(w, "  %-22s %26s\n", t.Name, t.Took.Round(10*time.Millisecond))
		return
	}
	rate := ""
	if s := t.Took.Seconds(); s > 0 && t.Rows > 0 {
		rate = fmt.Sprintf("%12.0f rows/s", float64(t.Rows)/s)
	}
	fmt.Fprintf(w, "  %-22s %11d rows %9s %s\n", t.Name, t.Rows, t.Took.Round(10*time.Millisecond), rate)
}

func printCity(w io.Writer, res citygen.Result) {
	var rows int64
	for _, t := range res.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(w, "\n%d rows in %s.\n\nAccounts (password %s):\n", rows, res.Took.Round(100*time.Millisecond), demo.Password)
	for _, l := range res.Logins {
		fmt.Fprintf(w, "  %-11s %-10s %-18s %s\n", l.Username, l.Role, l.Scope, l.Description)
	}
}
