package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unicode"

	"fugong/internal/apperr"
	"fugong/internal/store"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed (invalid input, broken audit trail …)
	exitUsage = 2 // unknown command or flag, missing argument
)

// app is one invocation of the binary: its streams and environment. It holds no other
// state; every command wires what it needs itself.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// run runs the command line args and returns the exit code. SIGINT and SIGTERM cancel the
// command's context (a server shuts down gracefully); a second signal kills the process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore the default: a second signal ends the process at once
	}()
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	return a.main(ctx, args)
}

// command is one subcommand. setup registers its flags and returns the function that runs
// it with the remaining (positional) arguments.
type command struct {
	name     string // "serve", "user create"
	zh       string // Chinese name
	summary  string // one line, English
	args     string // synopsis after the flags, e.g. "FILE…"
	details  string // paragraphs shown by --help
	examples []string
	setup    func(a *app, fs *flag.FlagSet) func(ctx context.Context, args []string) error
}

func commands() []*command {
	return []*command{
		serveCommand(),
		demoCommand(),
		migrateCommand(),
		userCreateCommand(),
		tokenCreateCommand(),
		policyCheckCommand(),
		policyShowCommand(),
		auditVerifyCommand(),
		auditCheckpointCommand(),
		purgeCommand(),
		backupCommand(),
		restoreCommand(),
		verifyCommand(),
		loadCommand(),
		cityCommand(),
		versionCommand(),
	}
}

// groups are the first words of two-word commands.
var groups = map[string]string{
	"user":   "用户",
	"token":  "接口令牌",
	"policy": "政策",
	"audit":  "审计",
}

// usageError is a mistake in the command line: it prints the usage and exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitCode ends a command with a code after it has printed what it had to say.
type exitCode int

func (e exitCode) Error() string { return "exit " + strconv.Itoa(int(e)) }

func isHelp(s string) bool { return s == "-h" || s == "-help" || s == "--help" || s == "help" }

// main dispatches args to a command.
func (a *app) main(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(a.stderr, "fugong: no command given")
		a.printTopUsage(a.stderr)
		return exitUsage
	}
	if isHelp(args[0]) {
		if len(args) == 1 {
			a.printTopUsage(a.stdout)
			return exitOK
		}
		// fugong help CMD [SUB]
		if cmd, _ := findCommand(args[1:]); cmd != nil {
			a.printCommandUsage(a.stdout, cmd)
			return exitOK
		}
		if _, ok := groups[args[1]]; ok {
			a.printGroupUsage(a.stdout, args[1])
			return exitOK
		}
		fmt.Fprintf(a.stderr, "fugong help: unknown command %q\n", strings.Join(args[1:], " "))
		a.printTopUsage(a.stderr)
		return exitUsage
	}
	cmd, rest := findCommand(args)
	if cmd == nil {
		if _, ok := groups[args[0]]; ok {
			if len(args) > 1 && isHelp(args[1]) {
				a.printGroupUsage(a.stdout, args[0])
				return exitOK
			}
			if len(args) == 1 {
				fmt.Fprintf(a.stderr, "fugong %s: which one?\n", args[0])
			} else {
				fmt.Fprintf(a.stderr, "fugong %s: unknown command %q\n", args[0], args[1])
			}
			a.printGroupUsage(a.stderr, args[0])
			return exitUsage
		}
		fmt.Fprintf(a.stderr, "fugong: unknown command %q\n", args[0])
		a.printTopUsage(a.stderr)
		return exitUsage
	}
	return a.runCommand(ctx, cmd, rest)
}

// findCommand finds the command named by the first one or two words of args and returns
// it with the arguments after its name.
func findCommand(args []string) (*command, []string) {
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			return c, args[len(words):]
		}
	}
	return nil, nil
}

func (a *app) runCommand(ctx context.Context, cmd *command, args []string) int {
	fs := flag.NewFlagSet("fugong "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // usage and errors are printed here, not by package flag
	fs.Usage = func() {}
	runner := cmd.setup(a, fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.printCommandUsage(a.stdout, cmd)
			return exitOK
		}
		fmt.Fprintf(a.stderr, "fugong %s: %v\n\n", cmd.name, err)
		a.printCommandUsage(a.stderr, cmd)
		return exitUsage
	}
	err := runner(ctx, fs.Args())
	var ue usageError
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "fugong %s: %s\n\n", cmd.name, ue.msg)
		a.printCommandUsage(a.stderr, cmd)
		return exitUsage
	case errors.As(err, &code):
		return int(code)
	default:
		a.printError(cmd.name, err)
		return exitFail
	}
}

// printError prints an error for the operator: field problems one per line, in Chinese
// and English.
func (a *app) printError(name string, err error) {
	e, ok := apperr.As(err)
	if !ok || (e.Kind == apperr.Internal && len(e.Problems) == 0) {
		fmt.Fprintf(a.stderr, "fugong %s: %v\n", name, err)
		return
	}
	fmt.Fprintf(a.stderr, "fugong %s: %s / %s\n", name, e.Message, e.MessageEN)
	for _, p := range e.Problems {
		fmt.Fprintf(a.stderr, "  %s: %s / %s\n", p.Field, p.Message, p.MessageEN)
	}
}

// --- environment-backed flags ---

func (a *app) env(key, def string) string {
	if v := strings.TrimSpace(a.getenv(key)); v != "" {
		return v
	}
	return def
}

// envBool is a boolean flag default from the environment; an unreadable value is
// reported when the command runs.
func (a *app) envBool(key string) (bool, error) {
	v := strings.TrimSpace(a.getenv(key))
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, usagef("%s=%q: write true or false", key, v)
	}
	return b, nil
}

// dbFlags are the flags that name the database.
type dbFlags struct {
	data string
	db   string
}

func (a *app) registerDB(fs *flag.FlagSet, f *dbFlags) {
	fs.StringVar(&f.data, "data", a.env("FUGONG_DATA", "./data"), "`directory` for the SQLite file and uploads (env FUGONG_DATA)")
	fs.StringVar(&f.db, "db", a.env("FUGONG_DB", ""), "`database`: a postgres:// URL, or a SQLite file (env FUGONG_DB; default DIR/fugong.db)")
}

// dsn is the database the flags name.
func (f *dbFlags) dsn() string {
	if f.db != "" {
		return f.db
	}
	return filepath.Join(f.data, "fugong.db")
}

// openDB opens and migrates the database the flags name, for a command that writes: a
// SQLite file is locked for the command's life, and refused while another process that
// writes holds it (store.OpenExclusive).
func openDB(ctx context.Context, f *dbFlags) (*store.DB, []int, error) {
	db, err := store.OpenExclusive(ctx, f.dsn())
	if err != nil {
		return nil, nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, applied, fmt.Errorf("migrate: %w", err)
	}
	return db, applied, nil
}

// openDBBeside opens and migrates the database for a command that only adds rows no
// running server has read yet (an account, an API token): it takes no lock and may run
// beside a server.
func openDBBeside(ctx context.Context, f *dbFlags) (*store.DB, []int, error) {
	db, err := store.Open(ctx, f.dsn())
	if err != nil {
		return nil, nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, applied, fmt.Errorf("migrate: %w", err)
	}
	return db, applied, nil
}

// openExisting opens the database without creating or migrating it, for a command that
// only reads: it takes no lock and may run beside a server.
func openExisting(ctx context.Context, f *dbFlags) (*store.DB, error) {
	dsn := f.dsn()
	if !store.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("no database at %s (use --data or --db)", dsn)
		}
	}
	return store.Open(ctx, dsn)
}

// --- usage ---

const topIntro = `fugong — 复工复产疫情防控管理系统
Resumption of work and production under epidemic prevention: applications, review,
rosters, passes, ledgers and supervision for county, town, grid, park and enterprise.`

func (a *app) printTopUsage(w io.Writer) {
	fmt.Fprintf(w, "%s\n\nUsage:\n  fugong <command> [flags] [arguments]\n\nCommands:\n", topIntro)
	rows := [][3]string{}
	for _, c := range commands() {
		rows = append(rows, [3]string{c.name, c.zh, c.summary})
	}
	rows = append(rows, [3]string{"help", "帮助", "Show help for a command"})
	printColumns(w, rows)
	fmt.Fprint(w, `
Run "fugong <command> --help" for a command's flags and examples.

Examples:
  fugong demo                                # try it out: a seeded demo county on 127.0.0.1:8080
  fugong serve --data /var/lib/fugong
  fugong user create --name admin --role admin --scope all
  fugong policy check local-policy.toml
`)
}

func (a *app) printGroupUsage(w io.Writer, group string) {
	fmt.Fprintf(w, "fugong %s — %s\n\nUsage:\n  fugong %s <command> [flags]\n\nCommands:\n", group, groups[group], group)
	var rows [][3]string
	for _, c := range commands() {
		if strings.HasPrefix(c.name, group+" ") {
			rows = append(rows, [3]string{c.name, c.zh, c.summary})
		}
	}
	printColumns(w, rows)
	fmt.Fprintf(w, "\nRun \"fugong %s <command> --help\" for a command's flags and examples.\n", group)
}

func (a *app) printCommandUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "fugong %s — %s\n%s\n\nUsage:\n  fugong %s", c.name, c.zh, c.summary, c.name)
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.setup(a, fs)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, " [flags]")
	}
	if c.args != "" {
		fmt.Fprint(w, " "+c.args)
	}
	fmt.Fprintln(w)
	if c.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.details))
	}
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		printFlags(w, fs)
	}
	if len(c.examples) > 0 {
		fmt.Fprint(w, "\nExamples:\n")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// printFlags lists flags GNU-style: "--name VALUE  usage (default …)".
func printFlags(w io.Writer, fs *flag.FlagSet) {
	var rows [][2]string
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
			left += " " + strings.ToUpper(placeholder)
		}
		if def := f.DefValue; def != "" && def != "false" {
			if store.IsPostgres(def) {
				def = redactDSN(def)
			}
			usage += fmt.Sprintf(" (default %q)", def)
		}
		rows = append(rows, [2]string{left, usage})
	})
	width := 0
	for _, r := range rows {
		width = max(width, displayWidth(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %s%s  %s\n", r[0], strings.Repeat(" ", width-displayWidth(r[0])), r[1])
	}
}

// printColumns prints name, Chinese name and summary aligned, counting a CJK character
// as two columns.
func printColumns(w io.Writer, rows [][3]string) {
	w0, w1 := 0, 0
	for _, r := range rows {
		w0, w1 = max(w0, displayWidth(r[0])), max(w1, displayWidth(r[1]))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %s%s  %s%s  %s\n", r[0], strings.Repeat(" ", w0-displayWidth(r[0])),
			r[1], strings.Repeat(" ", w1-displayWidth(r[1])), r[2])
	}
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || (r >= 0xFF00 && r <= 0xFFEF) || (r >= 0x3000 && r <= 0x303F) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// redactDSN hides the password of a database URL.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
