package application

import (
	"slices"

	"fugong/internal/enterprise"
	"fugong/internal/policy"
)

// AboveScaleCategories are the category codes of enterprises above designated size
// (规模以上). The enterprise record has no separate flag for it.
var AboveScaleCategories = []string{"industry_above"}

// AboveScale reports whether the enterprise's category is above designated size.
func AboveScale(e enterprise.Enterprise) bool {
	return slices.Contains(AboveScaleCategories, e.Category)
}

// RouteInput describes the enterprise for the policy's routing. The enterprise record has
// no sector, so rules that name one (variant C's coal production) do not match: a coal
// enterprise is routed as coal washing.
func RouteInput(e enterprise.Enterprise) policy.RouteInput {
	return policy.RouteInput{
		Category:      e.Category,
		InPark:        e.ParkID != 0,
		AboveScale:    AboveScale(e),
		KeyEnterprise: e.KeyEnterprise,
	}
}

// RouteFor returns the reviewing unit (and first-review unit) for the enterprise.
func RouteFor(pol *policy.Policy, e enterprise.Enterprise) policy.Route {
	return pol.Route(RouteInput(e))
}

// EarlyResumption reports whether the planned date is before the policy's earliest
// resumption (whether or not the enterprise asked for it; Check blocks when it did not).
func EarlyResumption(pol *policy.Policy, a Application) bool {
	return !a.PlannedAt.IsZero() && a.PlannedAt.Before(pol.Resumption.EarliestResumption)
}

// Flags returns the conditions that the policy's `when` fields name (policy.Flags), for
// the enterprise and the application:
//
//	early_resumption  the planned date is before the earliest resumption
//	first_review      the route has a first-review unit (park operator, town for coal washing)
//	in_park           the enterprise is in a park
//	above_scale       its category is above designated size (AboveScaleCategories)
//	key_enterprise    it is a key enterprise
//	canteen, dormitory, commuter_bus  it has a canteen, a dormitory, commuter buses
//
// Every flag is present in the map, true or false.
func Flags(e enterprise.Enterprise, a Application, pol *policy.Policy) map[string]bool {
	r := RouteFor(pol, e)
	return map[string]bool{
		policy.FlagEarlyResumption: EarlyResumption(pol, a),
		policy.FlagFirstReview:     r.FirstReview != "",
		policy.FlagInPark:          e.ParkID != 0,
		policy.FlagAboveScale:      AboveScale(e),
		policy.FlagKeyEnterprise:   e.KeyEnterprise,
		policy.FlagCanteen:         e.HasCanteen,
		policy.FlagDormitory:       e.HasDormitory,
		policy.FlagCommuterBus:     e.HasBus,
	}
}
