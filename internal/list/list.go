// Package list holds what every list of the product shares: the page a reader asks for.
package list

// MaxSize bounds one page of any list.
const MaxSize = 200

// DefaultSize is a page's size when none is asked for.
const DefaultSize = 20

// Page selects a window of a list; pages count from 1.
type Page struct {
	Number int
	Size   int
}

// Norm is the page with its defaults and bounds applied: size 1 to MaxSize (DefaultSize
// when unset), number at least 1.
func (p Page) Norm() Page {
	if p.Size <= 0 {
		p.Size = DefaultSize
	}
	if p.Size > MaxSize {
		p.Size = MaxSize
	}
	if p.Number <= 0 {
		p.Number = 1
	}
	return p
}

// Offset is how many items come before the page.
func (p Page) Offset() int {
	p = p.Norm()
	return (p.Number - 1) * p.Size
}
