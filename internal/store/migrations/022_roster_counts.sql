-- The roster's counts per enterprise (city scale): how many people of each enterprise
-- stand in each phase of the clock, by journey flag and whether they have left, with the
-- enterprise's region and park, rewritten in the transaction of every change of its people
-- or of its place (store/rostercounts.go). The counts of a county's or a city's roster add
-- up these rows (an index range of the region), never the people.
CREATE TABLE roster_counts (
    enterprise_id    BIGINT NOT NULL,
    region_code      TEXT NOT NULL,
    park_id          BIGINT,
    phase            TEXT NOT NULL,
    journey_too_long {{BOOL}} NOT NULL,
    has_left         {{BOOL}} NOT NULL,
    n                INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, phase, journey_too_long, has_left)
);
-- A region's counts read this index alone.
CREATE INDEX roster_counts_region ON roster_counts(region_code, phase, journey_too_long, has_left, n);
CREATE INDEX roster_counts_park ON roster_counts(park_id);
INSERT INTO roster_counts (enterprise_id, region_code, park_id, phase, journey_too_long, has_left, n)
SELECT m.enterprise_id, e.region_code, e.park_id, m.phase, m.journey_too_long, m.left_at IS NOT NULL, COUNT(*)
FROM employees m JOIN enterprises e ON e.id = m.enterprise_id
GROUP BY m.enterprise_id, e.region_code, e.park_id, m.phase, m.journey_too_long, m.left_at IS NOT NULL;
