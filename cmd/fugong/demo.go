package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"fugong/internal/crypt"
	"fugong/internal/demo"
	"fugong/internal/files"
	"fugong/internal/sign"
	"fugong/internal/store"
)

func demoCommand() *command {
	return &command{
		name:    "demo",
		zh:      "演示模式",
		summary: "Serve a fictional demo county on a fresh SQLite database",
		details: `
Creates a SQLite database in a new temporary directory (removed again on exit), or in
--data, seeds it with the fictional county 示范县 (code 330402): three towns and
streets, their villages and communities, two parks, the policy's reviewing
departments, about sixty enterprises and one account per role. It prints the address
and the demo logins, then serves like "fugong serve" until SIGINT or SIGTERM.

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
With a policy that has no origin classes no workforce is seeded.

A --data directory that already holds a seeded demo is reused as it is, with whatever
was changed in it since. The demo reads no FUGONG_* environment variables, so it
never touches a real database. Do not expose it: every account has the same,
published password.`,
		examples: []string{
			"fugong demo",
			"fugong demo --addr 127.0.0.1:9090 --data ./demo-data",
			"fugong demo --policy policies/variant-d-street.toml",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			addr := fs.String("addr", "127.0.0.1:8080", "listen `address` host:port")
			data := fs.String("data", "", "`directory` to keep the demo database in (default a temporary directory, removed on exit)")
			policyFile := fs.String("policy", "", "local policy TOML `file` (default the embedded policy)")
			logLevel := fs.String("log-level", "info", "`level` of logging: debug, info, warn or error")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
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
				db, _, err := openDB(ctx, &dbFlags{db: filepath.Join(dir, "fugong.db")})
				if err != nil {
					return err
				}
				defer db.Close()
				seeded, err := demo.Seeded(ctx, db)
				if err != nil {
					return err
				}
				signer, err := sign.LoadOrCreateKey(filepath.Join(dir, "signing-key.pem"))
				if err != nil {
					return err
				}
				fs, err := files.New(filepath.Join(dir, "files"))
				if err != nil {
					return err
				}
				// The key serve uses for the ID numbers, so the seeded rosters open.
				idKey, err := crypt.LoadOrCreateKey(filepath.Join(dir, "id-key"))
				if err != nil {
					return err
				}
				logins, err := demo.Seed(ctx, store.New(db, store.Config{Policy: pol, Signer: signer, Box: idKey}), fs)
				if err != nil {
					return fmt.Errorf("%w (remove %s and try again)", err, dir)
				}
				ln, err := net.Listen("tcp", *addr)
				if err != nil {
					return err
				}
				log.Info("fugong demo starting", "version", version(), "engine", db.Engine, "reused", seeded,
					"policy", pol.Locality.NameEN, "policy_source", pol.Source, "policy_version", pol.Version)
				printDemoBanner(a.stdout, baseURL(ln.Addr()), dir, *data == "", seeded, logins)
				return serveHTTP(ctx, ln, db, pol, log, false, dir)
			}
		},
	}
}

func printDemoBanner(w io.Writer, url, dir string, temporary, reused bool, logins demo.Logins) {
	fmt.Fprintf(w, "Fugong demo — 示范县 (fictional county 330402)\n\n")
	fmt.Fprintf(w, "  URL:       %s\n", url)
	note := ""
	switch {
	case temporary:
		note = " (temporary, removed on exit)"
	case reused:
		note = " (existing demo reused)"
	}
	fmt.Fprintf(w, "  data:      %s%s\n", dir, note)
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
