package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"fugong/internal/policy"
)

func policyCheckCommand() *command {
	return &command{
		name:    "policy check",
		zh:      "检查政策文件",
		summary: "Check local policy files and explain every problem",
		args:    "FILE…",
		details: `
Parses each policy file (TOML) and checks it the way "fugong serve --policy" would. Every
problem is printed as FILE:LINE: field: message, in Chinese and then in English, and the
exit code is 1. A good file prints "ok" with the policy's name and version (the hash
that decisions record). Start a new policy from "fugong policy show".`,
		examples: []string{
			"fugong policy check local-policy.toml",
			"fugong policy check policies/*.toml",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			return func(ctx context.Context, args []string) error {
				if len(args) == 0 {
					return usagef("name the policy file to check")
				}
				failed := false
				for _, path := range args {
					pol, problems, err := policy.Load(path)
					switch {
					case err != nil:
						fmt.Fprintf(a.stderr, "%s: cannot read: %v\n", path, err)
						failed = true
					case len(problems) > 0:
						printProblems(a.stdout, problems)
						fmt.Fprintf(a.stderr, "%s: %d problem(s)\n", path, len(problems))
						failed = true
					default:
						fmt.Fprintf(a.stdout, "ok %s: %s (%s), version %s\n", path, pol.Locality.Name, pol.Locality.NameEN, pol.Version)
					}
				}
				if failed {
					return exitCode(exitFail)
				}
				return nil
			}
		},
	}
}

// printProblems prints each policy problem on one line: the Chinese message, then its
// English twin.
func printProblems(w io.Writer, problems []policy.Problem) {
	for _, p := range problems {
		fmt.Fprintf(w, "%s / %s\n", p.String(), p.MessageEN)
	}
}

func policyShowCommand() *command {
	return &command{
		name:    "policy show",
		zh:      "查看默认政策",
		summary: "Print the embedded default policy (TOML)",
		details: `
Prints the default policy built into this binary — the figures of the seed documents
(48-hour lead time, 14-day isolation, 7-day supplies reserve, 37.3 °C fever line …) with
the clause each comes from. Save it, adapt it to the locality, check it with
"fugong policy check" and start the server with --policy.`,
		examples: []string{
			"fugong policy show > local-policy.toml",
		},
		setup: func(a *app, fs *flag.FlagSet) func(context.Context, []string) error {
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				_, err := a.stdout.Write(policy.DefaultTOML())
				return err
			}
		},
	}
}
