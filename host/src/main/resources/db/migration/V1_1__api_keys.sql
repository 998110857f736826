-- API keys. The secret is never stored: only its SHA-256 (secrets are 256 random bits, so a fast
-- hash is enough; there is nothing to brute-force).
CREATE TABLE api_keys (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    secret_hash VARCHAR(64)  NOT NULL UNIQUE,
    prefix      VARCHAR(16)  NOT NULL,
    scopes      VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(64),
    revoked_at  TIMESTAMP WITH TIME ZONE,
    last_used_at TIMESTAMP WITH TIME ZONE
);
