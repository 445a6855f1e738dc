package main

import (
	"context"
	"flag"
	"fmt"

	"fugong/internal/store"
)

func migrateCommand() *command {
	return &command{
		name:    "migrate",
		zh:      "数据库迁移",
		summary: "Apply the database migrations and print the schema version",
		details: `
Applies every embedded, numbered migration not yet recorded in the database, each in its
own transaction, and prints which were applied. "fugong serve" does the same at start;
run migrate on its own to prepare a database, or to see its schema version. On
PostgreSQL, instances that start at once take turns.`,
		examples: []string{
			"fugong migrate",
			"fugong migrate --data /var/lib/fugong",
			"fugong migrate --db postgres://fugong:secret@db.internal/fugong",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var dbf dbFlags
			a.registerDB(fs, &dbf)
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				ms, err := store.Migrations()
				if err != nil {
					return err
				}
				names := map[int]string{}
				for _, m := range ms {
					names[m.Version] = m.Name
				}
				db, applied, err := openDB(ctx, &dbf)
				for _, v := range applied {
					fmt.Fprintf(a.stdout, "applied %s\n", names[v])
				}
				if err != nil {
					return err
				}
				defer db.Close()
				if len(applied) == 0 {
					fmt.Fprintln(a.stdout, "already up to date")
				}
				v, err := db.SchemaVersion(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "schema version %d (%s)\n", v, db.Engine)
				return nil
			}
		},
	}
}
