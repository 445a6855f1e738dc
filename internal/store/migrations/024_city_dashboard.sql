-- The dashboard at city scale (issue #12). The people with a fever or a symptom on a day
-- are counted from this index alone: it holds only the readings with a fever or a
-- symptom, a tiny share of them, so a reading without one (nearly every check-in and
-- gate scan) writes nothing more. The dashboard's other figures of the day are counted
-- once per request from the indexes of 017 and the roster counts of 022.
CREATE INDEX health_checks_fevers ON health_checks(day, enterprise_id, employee_id) WHERE fever = TRUE OR symptoms <> '';
