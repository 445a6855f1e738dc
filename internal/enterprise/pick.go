package enterprise

import (
	"strings"
	"unicode/utf8"

	"fugong/internal/list"
)

// PickSize is how many enterprises a picker shows at a time.
const PickSize = 50

// Pick is what an official types into an enterprise picker: the start of an
// enterprise's name or of its unified social credit code.
type Pick struct {
	Name string // prefix of the name, as typed (trimmed); "" lists the newest
	Code string // prefix of the credit code (upper case); "" when the text cannot begin one
	Page list.Page
}

// NewPick reads the text typed into a picker. Credit codes are digits and upper-case
// Latin letters, so a text of other characters looks for names only; letters typed in
// lower case find the code they begin.
func NewPick(q string, page int) Pick {
	q = strings.TrimSpace(q)
	if n := utf8.RuneCountInString(q); n > 100 {
		q = string([]rune(q)[:100])
	}
	p := Pick{Name: q, Page: list.Page{Number: page, Size: PickSize}.Norm()}
	code := strings.ToUpper(q)
	if code != "" && len(code) <= 18 && strings.IndexFunc(code, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z')
	}) < 0 {
		p.Code = code
	}
	return p
}

// Choice is one enterprise a picker offers.
type Choice struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	USCC       string `json:"uscc"`
	RegionName string `json:"region_name"`
}
