package store

// The hot statements: the few statements every busy request runs, prepared once per
// connection on SQLite (see fastpath.go). Only these are; each text stays prepared for
// the life of the process, so a statement here must come from a small fixed set.

var (
	// Group commit.
	savepoint  = hot(`SAVEPOINT grouped`)
	rollbackTo = hot(`ROLLBACK TO SAVEPOINT grouped`)
	release    = hot(`RELEASE SAVEPOINT grouped`)

	// Who is asking: a session cookie or an API token, on every request.
	sqlSessionUser = hot(`SELECT u.id, u.username, u.display_name, u.phone, u.role, u.scope, u.disabled, u.created_at, u.updated_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = FALSE`)
	sqlTokenUser = hot(`SELECT u.id, u.username, u.display_name, u.phone, u.role, u.scope, u.disabled, u.created_at, u.updated_at,
		t.id, t.expires_at, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked = FALSE AND u.disabled = FALSE`)

	// A temperature reading.
	insertReading = hotInsert("health_checks", "employee_id bigint", "enterprise_id bigint", "day text", "taken_at timestamptz",
		"temperature double precision", "symptoms text", "checkpoint text", "source text", "operator_id bigint", "fever boolean", "created_at timestamptz")

	// A gate scan: the state of the pass, then the gate's log.
	sqlPassState = hot(`SELECT p.employee_id, p.enterprise_id, p.status, p.reason, p.token, m.name, m.left_at, e.entrance,
		(SELECT COUNT(*) FROM notices n WHERE n.enterprise_id = p.enterprise_id AND n.revoked_at IS NULL AND n.suspended_at IS NULL),
		(SELECT COUNT(*) FROM notices n WHERE n.enterprise_id = p.enterprise_id AND n.revoked_at IS NULL AND n.suspended_at IS NOT NULL)
		FROM passes p JOIN employees m ON m.id = p.employee_id JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ?`)
	insertGateScan = hotInsert("gate_events", "enterprise_id bigint", "kind text", "pass_id bigint", "employee_id bigint", "allow boolean",
		"reason text", "temperature double precision", "name text", "day text", "operator_id bigint", "at timestamptz", "checkpoint text")

	// Whether an enterprise holds a valid notice (passes, gate): neither revoked nor
	// suspended (停产整顿).
	sqlNoticeValid = hot(`SELECT COUNT(*) FROM notices WHERE enterprise_id = ? AND revoked_at IS NULL AND suspended_at IS NULL`)
)

// sqlPerson finds the person of a reading within a scope (w, which ends with the
// person's id); its text varies only with the kind of scope.
func sqlPerson(w where) string {
	return hot(`SELECT m.name, m.enterprise_id, m.left_at` + employeeFrom + w.sql())
}

// sqlReach counts the enterprises of a scope (w, which ends with the enterprise's id):
// whether a scanned pass belongs to the scanner. Its text varies only with the kind of
// scope.
func sqlReach(w where) string {
	return hot(`SELECT COUNT(*) FROM enterprises e` + w.sql())
}
