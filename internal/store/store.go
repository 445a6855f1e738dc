package store

import (
	"crypto/ed25519"
	"crypto/rand"
	"sync"

	"fugong/internal/crypt"
	"fugong/internal/files"
	"fugong/internal/policy"
	"fugong/internal/sign"
)

// Config is what the store's use cases need besides the database, given once.
type Config struct {
	Policy *policy.Policy // the local policy in force; the embedded default when nil
	Signer *sign.Signer   // signs notices, bus letters and passes; a throwaway key when nil (tests)
	Box    *crypt.Box     // seals ID numbers at rest; a throwaway key when nil (tests)
	Files  *files.Store   // the uploaded files; the retention purge removes those no record refers to (kept when nil)
}

// Store is the database with what its use cases need: the policy, the signing key and the
// sealing box. The use cases that need none of them are the database's own methods
// (enterprises, regions, accounts, the audit trail, the inbox); the others are reached
// through a handle per noun.
type Store struct {
	*DB
	pol    *policy.Policy
	signer *sign.Signer
	verify *sign.Verifier
	box    *crypt.Box
	files  *files.Store
	// One refresh of the stored clocks with work to do at a time (clock.go).
	clockMu sync.Mutex

	applications Applications
	notices      Notices
	buses        Buses
	roster       Roster
	passes       Passes
	health       Health
	gate         Gate
	ledgers      Ledgers

	// Supervision after resumption.
	inspections    Inspections
	rectifications Rectifications
	hazards        Hazards
	assignments    Assignments
	alerts         Alerts
	// The public's and the enterprises' voice.
	tips         Tips
	requests     Requests
	guidance     Guidance
	appointments Appointments
}

// New builds the store over db.
func New(db *DB, c Config) *Store {
	if c.Policy == nil {
		c.Policy = policy.Default()
	}
	if c.Signer == nil {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err) // the system's random source failed
		}
		c.Signer = sign.NewSigner(priv)
	}
	if c.Box == nil {
		c.Box = crypt.NewRandom()
	}
	s := &Store{DB: db, pol: c.Policy, signer: c.Signer, verify: sign.NewVerifier(c.Signer.PublicKey()), box: c.Box, files: c.Files}
	s.applications.s, s.notices.s, s.buses.s, s.roster.s = s, s, s, s
	s.passes.s, s.health.s, s.gate.s, s.ledgers.s = s, s, s, s
	s.inspections.s, s.rectifications.s, s.hazards.s = s, s, s
	s.assignments.s, s.alerts.s = s, s
	s.tips.s, s.requests.s, s.guidance.s, s.appointments.s = s, s, s, s
	return s
}

// Policy is the policy the store applies.
func (s *Store) Policy() *policy.Policy { return s.pol }

// Applications are the resumption applications (applications.go).
type Applications struct{ s *Store }

// Notices are the issued notices and the public verification of signed documents
// (notices.go).
type Notices struct{ s *Store }

// Buses are the commuter buses and their letters (buses.go).
type Buses struct{ s *Store }

// Roster is the staff of the enterprises: person files, rooms, certificates and staff
// accounts (employees.go, rooms.go, certificates.go, me.go).
type Roster struct{ s *Store }

// Passes are the entry passes, and a staff account's own (passes.go, me.go).
type Passes struct{ s *Store }

// Health is the temperature checks and their follow-ups (health.go).
type Health struct{ s *Store }

// Gate is the enterprise's gate: scans, visitors and vehicles, the entrance (gate.go,
// entrance.go).
type Gate struct{ s *Store }

// Ledgers are the ledgers and the daily reports (ledgers.go, reports.go).
type Ledgers struct{ s *Store }

// Applications returns the applications' handle.
func (s *Store) Applications() *Applications { return &s.applications }

// Notices returns the notices' handle.
func (s *Store) Notices() *Notices { return &s.notices }

// Buses returns the buses' handle.
func (s *Store) Buses() *Buses { return &s.buses }

// Roster returns the roster's handle.
func (s *Store) Roster() *Roster { return &s.roster }

// Passes returns the passes' handle.
func (s *Store) Passes() *Passes { return &s.passes }

// Health returns the health checks' handle.
func (s *Store) Health() *Health { return &s.health }

// Gate returns the gate's handle.
func (s *Store) Gate() *Gate { return &s.gate }

// Ledgers returns the ledgers' handle.
func (s *Store) Ledgers() *Ledgers { return &s.ledgers }

// Inspections are the supervision inspections after resumption (inspections.go).
type Inspections struct{ s *Store }

// Rectifications are the rectification orders (rectifications.go).
type Rectifications struct{ s *Store }

// Inspections returns the inspections' handle.
func (s *Store) Inspections() *Inspections { return &s.inspections }

// Rectifications returns the rectification orders' handle.
func (s *Store) Rectifications() *Rectifications { return &s.rectifications }

// Hazards are the safety-production hazard register (hazards.go).
type Hazards struct{ s *Store }

// Hazards returns the hazard register's handle.
func (s *Store) Hazards() *Hazards { return &s.hazards }
