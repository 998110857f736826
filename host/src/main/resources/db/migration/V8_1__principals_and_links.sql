-- Trust boundaries (issue 11). A key with the user scope acts for exactly one user id.
ALTER TABLE api_keys ADD COLUMN user_id VARCHAR(200);

-- Platform identities (e.g. 'telegram:123') linked by an admin to a principal (a user id), so one
-- person's memory follows them across channels. Without a link an identity is its own principal.
CREATE TABLE identity_links (
    identity    VARCHAR(200) PRIMARY KEY,
    user_id     VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(64)  NOT NULL
);
CREATE INDEX identity_links_by_user ON identity_links (user_id);
