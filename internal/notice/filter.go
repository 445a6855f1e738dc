package notice

import (
	"fugong/internal/input"
)

// BusStatuses are the statuses of a commuter bus, in the order of its life.
var BusStatuses = []string{BusPending, BusApproved, BusRejected, BusLettered}

// Check refuses a status filter that names no status of a bus; empty filters nothing.
func (f BusFilter) Check() error {
	return input.Join(input.OneOf("status", f.Status, BusStatuses))
}
