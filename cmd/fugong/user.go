package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
)

func userCreateCommand() *command {
	return &command{
		name:    "user create",
		zh:      "创建用户",
		summary: "Create a user account",
		details: `
Creates an account with a role and a scope, recorded in the audit trail as done by the
system. The password is the first line of standard input when that is not a terminal
and not empty; otherwise a random password is generated and printed once.

Roles and the scope each takes:
  admin                     all, or region:CODE                         系统管理员
  command                   region:CODE (a county or a town)            疫情防控指挥部
  reviewer                  dept:ID (a department)                      主管部门审核员
  town                      region:CODE (a town or street, 9 digits)    镇街干部
  grid                      region:CODE (a village or community)        网格长
  park                      park:ID                                     园区运营方
  enterprise, staff, guard  enterprise:ID                               企业管理员、员工、门卫`,
		examples: []string{
			"fugong user create --name admin --role admin --scope all",
			"printf '%s\\n' \"$PASSWORD\" | fugong user create --name zhang --role town --scope region:330402101 --display-name 张伟 --phone 13800000000",
			"fugong user create --name gyj-li --role reviewer --scope dept:3 < password.txt",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var dbf dbFlags
			var u auth.User
			var role string
			fs.StringVar(&u.Username, "name", "", "user `name` to sign in with (letters, digits, . _ @ -)")
			fs.StringVar(&role, "role", "", "`role`: "+roleList())
			fs.StringVar(&u.ScopeText, "scope", "", "`scope`: all, region:CODE, dept:ID, park:ID or enterprise:ID")
			fs.StringVar(&u.DisplayName, "display-name", "", "the person's `name` as shown, e.g. 张伟")
			fs.StringVar(&u.Phone, "phone", "", "`phone` number")
			a.registerDB(fs, &dbf)
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				var missing []string
				for _, f := range [][2]string{{"--name", u.Username}, {"--role", role}, {"--scope", u.ScopeText}} {
					if strings.TrimSpace(f[1]) == "" {
						missing = append(missing, f[0])
					}
				}
				if len(missing) > 0 {
					return usagef("missing %s", strings.Join(missing, ", "))
				}
				u.Role = auth.Role(role)
				if err := u.Validate(); err != nil {
					return userError(err)
				}
				password, err := a.readPassword()
				if err != nil {
					return err
				}
				generated := password == ""
				if generated {
					password = auth.NewPassword()
				}
				if err := auth.CheckPasswordStrength(password); err != nil {
					return apperr.NewInvalid("password", "密码太弱:至少 8 个字符", "The password is too weak: at least 8 characters")
				}
				db, _, err := openDBBeside(ctx, &dbf)
				if err != nil {
					return err
				}
				defer db.Close()
				created, err := db.CreateUser(ctx, auth.System, u, password)
				if err != nil {
					return userError(err)
				}
				fmt.Fprintf(a.stdout, "created user %s (id %d): role %s, scope %s\n", created.Username, created.ID, created.Role, created.ScopeText)
				if generated {
					fmt.Fprintf(a.stdout, "password: %s\n", password)
					fmt.Fprintln(a.stderr, "The password is shown only this once; hand it over safely.")
				}
				return nil
			}
		},
	}
}

func roleList() string {
	s := make([]string, len(auth.Roles))
	for i, r := range auth.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// userError names the flags in the field problems of a user and lists the roles when the
// role is unknown.
func userError(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Problems) == 0 {
		return err
	}
	flags := map[string]string{"username": "name", "display_name": "display-name"}
	out := *e
	out.Problems = nil
	for _, p := range e.Problems {
		if f, ok := flags[p.Field]; ok {
			p.Field = f
		}
		if p.Field == "role" {
			p.Message += "(可选:" + roleList() + ")"
			p.MessageEN += " (one of: " + roleList() + ")"
		}
		out.Problems = append(out.Problems, p)
	}
	return &out
}

// tokenError names the flags in the field problems of a new token.
func tokenError(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Problems) == 0 {
		return err
	}
	out := *e
	out.Problems = nil
	for _, p := range e.Problems {
		if p.Field == "name" {
			p.Field = "label"
		}
		out.Problems = append(out.Problems, p)
	}
	return &out
}

// readPassword reads the first line of stdin when stdin is not a terminal; "" means
// none was given.
func (a *app) readPassword() (string, error) {
	if a.stdin == nil || isTerminal(a.stdin) {
		return "", nil
	}
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func tokenCreateCommand() *command {
	return &command{
		name:    "token create",
		zh:      "创建接口令牌",
		summary: "Create an API token for a user",
		details: `
Prints a new API token for the user. Integrations send it as
"Authorization: Bearer TOKEN" and act with the user's role and scope. Only the token's
hash is stored: copy it now, it cannot be shown again. The token is printed alone on
standard output, so that a script can capture it.

A token expires after --expires days (90d unless told otherwise, at most 365d); a token
that never expires is issued only with --expires never. The user admin page lists the
account's tokens and revokes them one by one.`,
		examples: []string{
			"fugong token create --user admin --label backup-script",
			"TOKEN=$(fugong token create --user gate-01 --label 'gate tablet 1' --expires 30d)",
			"fugong token create --user town --label 'county data exchange' --expires never",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			var dbf dbFlags
			name := fs.String("user", "", "user `name` the token acts as")
			label := fs.String("label", "", "`label` saying what the token is for")
			expires := fs.String("expires", fmt.Sprintf("%dd", auth.DefaultTokenDays), fmt.Sprintf("`lifetime`: days such as 30d (1d to %dd), or never", auth.MaxTokenDays))
			a.registerDB(fs, &dbf)
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if strings.TrimSpace(*name) == "" {
					return usagef("missing --user")
				}
				if _, err := auth.TokenExpiry(*expires, time.Now()); err != nil {
					return tokenError(err)
				}
				db, _, err := openDBBeside(ctx, &dbf)
				if err != nil {
					return err
				}
				defer db.Close()
				u, err := db.GetUserByName(ctx, *name)
				if apperr.KindOf(err) == apperr.NotFound {
					return fmt.Errorf("no user named %q", *name)
				}
				if err != nil {
					return err
				}
				until, err := auth.TokenExpiry(*expires, db.Now())
				if err != nil {
					return tokenError(err)
				}
				t, token, err := db.IssueToken(ctx, auth.System, u.ID, *label, until)
				if err != nil {
					return tokenError(err)
				}
				fmt.Fprintln(a.stdout, token)
				life := "it never expires"
				if t.ExpiresAt != nil {
					life = "it expires at " + t.ExpiresAt.Format(time.RFC3339)
				}
				fmt.Fprintf(a.stderr, "API token %d for %s (role %s, scope %s); %s. Copy it now: it is not shown again.\n",
					t.ID, u.Username, u.Role, u.ScopeText, life)
				return nil
			}
		},
	}
}
