// Package grid holds the rules of the grid chain (网格化管理): which chain of grid leaders an
// enterprise belongs to under the policy, in what order the levels approve a pass (the
// lowest first), who may decide now — a level never approves for another —, and what a
// refusal must say.
package grid

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/pass"
	"fugong/internal/policy"
)

// ChainFor returns the chain of the policy that applies to an enterprise (the first
// whose above_scale matches), and whether one does. Without a chain, a pass is approved
// in one step as before.
func ChainFor(chains []policy.GridChain, aboveScale bool) (policy.GridChain, bool) {
	for _, c := range chains {
		if c.AboveScale == nil || *c.AboveScale == aboveScale {
			return c, true
		}
	}
	return policy.GridChain{}, false
}

// Steps are the units that approve, in order: the lowest level first, the 总网格长 last.
func Steps(c policy.GridChain) []string {
	out := slices.Clone(c.Levels)
	slices.Reverse(out)
	return out
}

// Decision is one level's decision on a pass.
type Decision struct {
	Step      int       `json:"step"`
	Unit      string    `json:"unit"`
	Approve   bool      `json:"approve"`
	Reason    string    `json:"reason,omitempty"`
	By        string    `json:"by,omitempty"`
	DecidedAt time.Time `json:"decided_at"`
}

// Next is the step waiting for a decision after the decisions taken, or -1 when none
// waits: all approved, or one refused.
func Next(steps []string, decided []Decision) int {
	for _, d := range decided {
		if !d.Approve {
			return -1
		}
	}
	if len(decided) >= len(steps) {
		return -1
	}
	return len(decided)
}

// Decide checks a decision on a pass by an account acting for units, and returns it and
// whether it is the last (the pass is then issued when it approves, or stopped when it
// refuses). names names a unit for messages.
func Decide(steps []string, decided []Decision, units []string, approve bool, reason string, names func(string) string) (Decision, bool, error) {
	next := Next(steps, decided)
	if next < 0 {
		return Decision{}, false, apperr.NewConflict("这张出入证已不在逐级审批中", "The pass is no longer waiting for the grid's approval")
	}
	unit := steps[next]
	if !slices.Contains(units, unit) {
		mine := make([]string, len(units))
		for i, u := range units {
			mine[i] = names(u)
		}
		zh := fmt.Sprintf("这张出入证正等待%s审批;", names(unit))
		en := fmt.Sprintf("The pass waits for %s; ", names(unit))
		if len(mine) == 0 {
			zh += "您不是网格长,不能审批"
			en += "you hold no level of the grid"
		} else {
			zh += "您是" + strings.Join(mine, "、") + ",不能代替其他层级审批"
			en += "you act for " + strings.Join(mine, ", ") + " and cannot decide for another level"
		}
		return Decision{}, false, &apperr.Error{Kind: apperr.Forbidden, Message: zh, MessageEN: en}
	}
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return Decision{}, false, apperr.NewInvalid("reason", "不同意时请写明理由", "Give the reason for refusing")
	}
	return Decision{Step: next, Unit: unit, Approve: approve, Reason: reason}, !approve || next == len(steps)-1, nil
}

// Refusal is what a refused pass says: the level and the reason.
func Refusal(d Decision, names func(string) string) string {
	return names(d.Unit) + "不同意:" + d.Reason
}

// Pass is a requested pass with where it stands in its grid chain.
type Pass struct {
	pass.Pass
	Chain     string     `json:"chain"`     // the chain's code
	Steps     []string   `json:"steps"`     // units that approve, the lowest first
	Next      string     `json:"next"`      // the unit that decides now, "" when none
	Decisions []Decision `json:"decisions"` // taken so far
}
