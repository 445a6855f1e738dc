-- The people of an enterprise at work at a day's end (joined before it, not left by it)
-- and those back by then, counted from this index alone: the resumption statistics table
-- (复工统计表) of a county or a city reads it instead of every person's row. It takes the
-- place of employees_enterprise_left (enterprise_id, left_at), which it begins with.
DROP INDEX employees_enterprise_left;
CREATE INDEX employees_enterprise_left ON employees(enterprise_id, left_at, created_at, return_date);
