package enterprise

import (
	"fugong/internal/input"
	"fugong/internal/policy"
)

// Check refuses filter values that name nothing: a status not among Statuses, a category
// the policy does not have. An empty value filters nothing.
func (f Filter) Check(pol *policy.Policy) error {
	cats := make([]string, len(pol.Categories))
	for i, c := range pol.Categories {
		cats[i] = c.Code
	}
	return input.Join(input.OneOf("status", f.Status, Statuses), input.OneOf("category", f.Category, cats))
}
