package auth

import "fugong/internal/input"

// Check refuses a role filter that names no role; empty filters nothing.
func (f UserFilter) Check() error {
	return input.Join(input.OneOf("role", f.Role, Roles))
}
