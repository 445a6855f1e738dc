package application

import (
	"fugong/internal/input"
	"fugong/internal/policy"
)

// FilterStatuses are the statuses a list may be filtered by under the policy: open (any
// stage under review), the fixed statuses and the policy's stage codes.
func FilterStatuses(pol *policy.Policy) []string {
	out := append([]string{"open"}, FixedStatuses...)
	for _, s := range pol.Stages {
		out = append(out, s.Code)
	}
	return out
}

// Check refuses filter values that name nothing: a status not among FilterStatuses, a
// unit the policy does not have. An empty value filters nothing.
func (f Filter) Check(pol *policy.Policy) error {
	units := make([]string, len(pol.Units))
	for i, u := range pol.Units {
		units[i] = u.Code
	}
	return input.Join(input.OneOf("status", f.Status, FilterStatuses(pol)), input.OneOf("unit", f.Unit, units))
}
