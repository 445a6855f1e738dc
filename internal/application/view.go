package application

import (
	"fugong/internal/list"
	"fugong/internal/notice"
	"time"
)

// View is an application with what its pages show about it.
type View struct {
	Application
	EnterpriseName string     `json:"enterprise_name"`
	RegionCode     string     `json:"region_code"`
	RegionName     string     `json:"region_name"`
	RouteUnit      string     `json:"route_unit"`
	FirstReview    string     `json:"first_review_unit,omitempty"`
	StageRole      string     `json:"stage_role,omitempty"`
	StageUnit      string     `json:"stage_unit,omitempty"`
	Priority       float64    `json:"priority"`
	DueAt          *time.Time `json:"due_at,omitempty"`
}

// Filter selects applications.
type Filter struct {
	Status     string // a status, or "open" for every application not yet decided
	Unit       string // reviewing unit
	Region     string
	Q          string
	Enterprise int64
	Mine       bool // only those waiting for the principal to act
	Overdue    bool // only those in review past their deadline (View.Overdue)
	Page       list.Page
}

// Event is one recorded transition.
type Event struct {
	Action        string    `json:"action"`
	From          string    `json:"from"`
	To            string    `json:"to"`
	ActorName     string    `json:"actor_name"`
	ActorRole     string    `json:"actor_role"`
	Comment       string    `json:"comment"`
	PolicyVersion string    `json:"policy_version"`
	At            time.Time `json:"at"`
}

// Request is one action on an application.
type Request struct {
	Action     Action
	Comment    string
	Version    int         // the version the actor saw; 0 skips the check
	Acceptance *Acceptance // the on-site checklist, for pass/fail at a checklist stage
}

// Result says what a transition did.
type Result struct {
	From, To string
	Notice   *notice.Notice
}

// Overdue reports whether the application waits for review past its due date.
func (v View) Overdue(now time.Time) bool {
	return v.DueAt != nil && InReview(v.Status) && now.After(*v.DueAt)
}
