-- The on-site acceptance records before a notice (现场验收, 验收登记表) were kept in a table
-- called inspections. The word belongs to supervision after resumption (督导检查): the table
-- is renamed, its rows kept.
ALTER TABLE inspections RENAME TO acceptances;
DROP INDEX inspections_app;
CREATE INDEX acceptances_app ON acceptances(application_id);
