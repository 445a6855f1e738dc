-- City-scale lists (50,000 enterprises, 1,000,000 staff): each list page reads its rows
-- in the order of an index, with LIMIT, and counts from an index.

-- The temperature register's page (TemperatureRegister, EachTemperatureRegister):
-- WHERE day = ? … ORDER BY taken_at DESC, id DESC, read backwards along this index and
-- stopping after a page, with the enterprise at hand for the scope. It replaces
-- health_checks_by_day (day, enterprise_id), whose prefix it keeps for the dashboard's
-- counts by day, so that a reading (one per check-in) still updates as many indexes.
DROP INDEX health_checks_by_day;
CREATE INDEX health_checks_day_taken ON health_checks(day, taken_at, id, enterprise_id);

-- The gate register's page (GateRegister, EachGateRegister): WHERE day = ? … ORDER BY
-- at DESC, id DESC. It replaces gate_events_day_kind (day, enterprise_id) likewise.
DROP INDEX gate_events_day_kind;
CREATE INDEX gate_events_day_at ON gate_events(day, at, id, enterprise_id);

-- The applications list's page (Applications.List without mine): ORDER BY updated_at
-- DESC, id DESC, read backwards along this index.
CREATE INDEX applications_updated ON applications(updated_at, id);

-- The counts of applications by status (Applications.Count) and of the list
-- (Applications.List): the enterprises in scope, then their applications' statuses
-- from this index alone. It replaces applications_enterprise (enterprise_id).
DROP INDEX applications_enterprise;
CREATE INDEX applications_enterprise_status ON applications(enterprise_id, status);

-- The checkpoints of a register's day in scope (store/registers.go checkpoints), read
-- from the index by enterprise and day without the rows: each replaces an index of the
-- same leading columns, so a reading or a scan still updates as many indexes.
DROP INDEX health_checks_day;
CREATE INDEX health_checks_day ON health_checks(enterprise_id, day, employee_id, checkpoint);
DROP INDEX gate_events_day;
CREATE INDEX gate_events_day ON gate_events(enterprise_id, day, checkpoint);
