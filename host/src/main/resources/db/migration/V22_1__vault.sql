-- The credential vault (issue 14): plugin secrets encrypted at rest with AES-256-GCM under a master
-- key that is never stored here (NEXUS_VAULT_KEY or the key file). Each row has its own random nonce;
-- the ciphertext is bound to (plugin_id, name) as associated data, so a row copied under another name
-- does not decrypt. Values are base64 texts. key_id names the master key a row is sealed with
-- (a hash, not the key), so a host holding another key says so instead of failing obscurely.
CREATE TABLE vault_secrets (
    plugin_id  VARCHAR(200)             NOT NULL,
    name       VARCHAR(200)             NOT NULL,
    key_id     VARCHAR(32)              NOT NULL,
    nonce      VARCHAR(32)              NOT NULL,
    ciphertext VARCHAR(32768)           NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(200)             NOT NULL,
    PRIMARY KEY (plugin_id, name)
);

-- One row: a known text sealed with the current master key. At start the host opens it before anything
-- else; a wrong key fails start-up with a clear message and no secret is ever tried.
CREATE TABLE vault_key (
    id          INT                      NOT NULL PRIMARY KEY,
    key_id      VARCHAR(32)              NOT NULL,
    nonce       VARCHAR(32)              NOT NULL,
    check_value VARCHAR(200)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at  TIMESTAMP WITH TIME ZONE
);
