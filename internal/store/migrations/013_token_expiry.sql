-- API tokens carry the expiry chosen when they are issued (NULL: never, given only when
-- asked for explicitly; tokens issued before this migration keep NULL and are listed as
-- such, for an administrator to revoke) and the instant they were revoked. A pass keeps
-- the expiry its signed token carries.
ALTER TABLE api_tokens ADD COLUMN expires_at {{TS}};
ALTER TABLE api_tokens ADD COLUMN revoked_at {{TS}};
CREATE INDEX api_tokens_user ON api_tokens(user_id);
ALTER TABLE passes ADD COLUMN expires_at {{TS}};
