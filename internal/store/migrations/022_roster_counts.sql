-- The roster's counts per enterprise (city scale): how many people of each enterprise
-- stand in each phase of the clock, by journey flag and whether they have left, rewritten
-- in the transaction of every change of its people (store/rostercounts.go). The counts of
-- a county's or a city's roster add up these rows, never the people.
CREATE TABLE roster_counts (
    enterprise_id    BIGINT NOT NULL,
    phase            TEXT NOT NULL,
    journey_too_long {{BOOL}} NOT NULL,
    has_left         {{BOOL}} NOT NULL,
    n                INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, phase, journey_too_long, has_left)
);
INSERT INTO roster_counts (enterprise_id, phase, journey_too_long, has_left, n)
SELECT enterprise_id, phase, journey_too_long, left_at IS NOT NULL, COUNT(*) FROM employees
GROUP BY enterprise_id, phase, journey_too_long, left_at IS NOT NULL;
