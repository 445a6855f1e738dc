package application

import (
	"cmp"
	"slices"
	"time"

	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

// SuppliesDays is how many days the masks in stock last the returning headcount at the
// policy's masks per person per day (0 when nobody returns).
func SuppliesDays(pol *policy.Policy, a Application) float64 {
	total, per := a.Returning.Total(), pol.Resumption.MasksPerPersonPerDay
	if total <= 0 || per <= 0 {
		return 0
	}
	masks, _ := a.Stock(ItemMasks)
	return float64(masks) / float64(total*per)
}

// LocalShare is the share of local staff among the returning (0..1).
func LocalShare(a Application) float64 {
	total := a.Returning.Total()
	if total <= 0 {
		return 0
	}
	return float64(a.Returning.Local) / float64(total)
}

// PriorityInputFor describes the enterprise and application for pol.PriorityScore
// (variant C: 「重点行业、规模以上企业、重点培育企业」 first; a high share of local staff and
// supplies in stock favour an enterprise). The enterprise record knows only whether it is a
// key enterprise, which stands for the key industry; it has no "key cultivated" mark, so
// KeyCultivated is false — a caller that knows it may set it and call pol.PriorityScore.
func PriorityInputFor(pol *policy.Policy, e enterprise.Enterprise, a Application) policy.PriorityInput {
	return policy.PriorityInput{
		KeyIndustry:     e.KeyEnterprise,
		AboveScale:      AboveScale(e),
		LocalStaffShare: LocalShare(a),
		SuppliesDays:    SuppliesDays(pol, a),
	}
}

// Priority is the application's place in the review queue: higher goes first.
func Priority(pol *policy.Policy, e enterprise.Enterprise, a Application) float64 {
	return pol.PriorityScore(PriorityInputFor(pol, e, a))
}

// Due is when a decision is due: SubmittedAt plus the policy's review days (counted in
// calendar days in the policy's time zone); zero before it is submitted.
func Due(pol *policy.Policy, a Application) time.Time {
	if a.SubmittedAt.IsZero() {
		return time.Time{}
	}
	return a.SubmittedAt.In(pol.Location()).AddDate(0, 0, pol.Resumption.ReviewDueDays)
}

// Overdue reports whether the application is still under review after its due time.
func Overdue(pol *policy.Policy, a Application, now time.Time) bool {
	due := Due(pol, a)
	return InReview(a.Status) && !due.IsZero() && now.After(due)
}

// QueueItem is an application with its enterprise, for ordering a review queue.
type QueueItem struct {
	Enterprise  enterprise.Enterprise
	Application Application
}

// SortQueue orders a review queue: green-channel applications first, then by Priority
// (highest first), then the earliest filed, then by ID.
func SortQueue(pol *policy.Policy, items []QueueItem) {
	type scored struct {
		item  QueueItem
		score float64
	}
	list := make([]scored, len(items))
	for i, it := range items {
		list[i] = scored{it, Priority(pol, it.Enterprise, it.Application)}
	}
	slices.SortStableFunc(list, func(x, y scored) int {
		a, b := x.item.Application, y.item.Application
		if a.GreenChannel != b.GreenChannel {
			if a.GreenChannel {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for i := range list {
		items[i] = list[i].item
	}
}
