// Package layout holds no code: its tests check the house rules of docs/architecture.md
// that a reviewer would otherwise check by eye — the rules live in pure domain packages,
// the store decides no rule, and no source file grows past what a reader can hold.
package layout
