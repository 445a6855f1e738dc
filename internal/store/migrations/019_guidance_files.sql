-- Files published with guidance (a policy document, a form to fill in), stored once by
-- their SHA-256 like every other file.
CREATE TABLE guidance_files (
    guidance_id  BIGINT NOT NULL REFERENCES guidance(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    PRIMARY KEY (guidance_id, sha256)
);
