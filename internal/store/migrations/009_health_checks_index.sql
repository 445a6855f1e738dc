-- Readings are found by enterprise and day (health_checks_day); every query by person
-- also names the person's enterprise and the day. The per-person index cost each group
-- commit a page per person in it, so it goes.
DROP INDEX health_checks_employee;
