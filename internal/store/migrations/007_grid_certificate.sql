-- The home grid leader's certificate of the closed-off period (网格长出具的封闭期间情况证明):
-- the returning person's 14-day trajectory, contact history and the health of the person
-- and the people living with them, issued by the village or community of residence. One
-- file per employee, kept by the content-addressed file store; a new upload replaces it.

ALTER TABLE employees ADD COLUMN cert_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN cert_name TEXT NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN cert_content_type TEXT NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN cert_size BIGINT NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN cert_uploaded_at {{TS}};
ALTER TABLE employees ADD COLUMN cert_uploaded_by BIGINT REFERENCES users(id);

-- The room board reads the isolation rooms of an enterprise as it reads its dormitories.
CREATE INDEX employees_isolation ON employees(enterprise_id, isolation_room);
