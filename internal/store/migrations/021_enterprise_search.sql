-- Pickers search enterprises by the start of the name or of the credit code (city scale:
-- 50,000 enterprises are never listed whole). Both searches are ranges over an index in
-- byte order (the "C" collation on PostgreSQL, SQLite's own BINARY), so that a prefix is
-- a range whatever the database's locale.
CREATE INDEX enterprises_name_bytes ON enterprises(name {{BYTES}}, id);
CREATE INDEX enterprises_uscc_bytes ON enterprises(uscc {{BYTES}});
