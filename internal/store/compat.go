package store

// Names kept while callers move to the domain packages.

import (
	"fugong/internal/application"
	"fugong/internal/audit"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/gate"
	"fugong/internal/health"
	"fugong/internal/inbox"
	"fugong/internal/ledger"
	"fugong/internal/list"
	"fugong/internal/notice"
	"fugong/internal/pass"
	"fugong/internal/region"
	"fugong/internal/roster"
	"fugong/internal/xlsx"
)

type (
	BusFilter         = notice.BusFilter
	PassFilter        = pass.Filter
	Notification      = inbox.Message
	ImportJob         = xlsx.Job
	RowError          = xlsx.RowError
	ImportResult      = xlsx.Result
	RegionFilter      = region.Filter
	AuditFilter       = audit.Filter
	UserFilter        = auth.UserFilter
	ImportRow         = enterprise.ImportRow
	EnterpriseFilter  = enterprise.Filter
	LedgerFilter      = ledger.Filter
	DailyReportFilter = ledger.ReportFilter
	DailyReport       = ledger.DailyReport
	TransitionResult  = application.Result
	TransitionRequest = application.Request
	Inspection        = application.Acceptance
	CheckItemResult   = application.ItemResult
	Event             = application.Event
	AppFilter         = application.Filter
	AppView           = application.View
	RoomAssignment    = roster.RoomAssignment
	RoomBoard         = roster.RoomBoard
	Room              = roster.Room
	RoomPerson        = roster.RoomPerson
	Certificate       = roster.Certificate
	NewAccount        = roster.NewAccount
	EmployeeAccount   = roster.Account
	StaffAccount      = roster.StaffAccount
	EmployeeImportRow = roster.ImportRow
	EmployeeFilter    = roster.Filter
	EmployeeItem      = roster.Item
	Page              = list.Page
	Pass              = pass.Pass
	Me                = pass.Me
	MyCheck           = pass.MyCheck
	Reading           = health.Reading
	CheckResult       = health.CheckResult
	FollowUp          = health.FollowUp
	FollowUpClose     = health.FollowUpClose
	Unchecked         = health.Unchecked
	RepeatFlag        = health.RepeatFlag
	Declaration       = health.Declaration
	ScanResult        = gate.Result
	GateEntry         = gate.Entry
	Entrance          = gate.Entrance
	Notice            = notice.Notice
	NoticeStatus      = notice.Status
	Bus               = notice.Bus
	BusLetter         = notice.BusLetter
)

const (
	MaxFailures        = auth.MaxFailures
	LockWindow         = auth.LockWindow
	SessionTTL         = auth.SessionTTL
	CertificateMissing = roster.CertificateMissing
	CertificatePresent = roster.CertificatePresent
	RoomDorm           = roster.RoomDorm
	RoomIsolation      = roster.RoomIsolation
	MaxPageSize        = list.MaxSize
	PassRequested      = pass.Requested
	PassActive         = pass.Active
	PassSuspended      = pass.Suspended
	PassRevoked        = pass.Revoked
	ReasonFever        = pass.ReasonFever
	ReasonSymptom      = pass.ReasonSymptom
	ReasonMissedChecks = pass.ReasonMissedChecks
	ReasonLeft         = pass.ReasonLeft
	ReasonManual       = pass.ReasonManual
	MeOK               = pass.StateOK
	MeNoPass           = pass.StateNoPass
	MeNotApproved      = pass.StateNotApproved
	MeSuspended        = pass.StateSuspended
	MeRevoked          = pass.StateRevoked
	MeLeft             = pass.StateLeft
	MeNoNotice         = pass.StateNoNotice
	SourceCheckpoint   = health.SourceCheckpoint
	SourceDeclared     = health.SourceDeclared
	SourceGate         = health.SourceGate
	MinTemperature     = health.MinTemperature
	MaxTemperature     = health.MaxTemperature
	MaxBatch           = health.MaxBatch
	MaxEntranceLen     = gate.MaxEntranceLen
	BusPending         = notice.BusPending
	BusApproved        = notice.BusApproved
	BusRejected        = notice.BusRejected
	BusLettered        = notice.BusLettered
)

var (
	ErrThrottled = auth.ErrThrottled
	MaskName     = roster.MaskName
	AtEntrance   = gate.AtEntrance
)
