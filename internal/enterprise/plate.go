package enterprise

import (
	"regexp"
	"strings"
)

// plateRE accepts mainland plates such as 浙F12345 or 浙FD12345 (new energy).
var plateRE = regexp.MustCompile(`^[\p{Han}][A-Z][A-Z0-9]{5,6}$`)

// NormalizePlate writes a vehicle's plate the one way it is stored: upper case, without
// spaces or the middle dot (浙F·12345 → 浙F12345).
func NormalizePlate(s string) string {
	return strings.ReplaceAll(strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", "")), "·", "")
}

// ValidPlate reports whether a normalised plate is a mainland plate.
func ValidPlate(s string) bool { return plateRE.MatchString(s) }
