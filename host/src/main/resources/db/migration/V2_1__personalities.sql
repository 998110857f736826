-- Personalities: every change is a new immutable row in personality_versions; personalities holds
-- the current pointer per id, who owns the id, and the hash of the source document last applied
-- (so a bundle or plugin personality gets a new version only when its source content changes).
CREATE TABLE personalities (
    id              VARCHAR(64)  PRIMARY KEY,
    owner           VARCHAR(16)  NOT NULL,   -- bundle | plugin | api
    owner_detail    VARCHAR(500) NOT NULL,   -- bundle file path, plugin id, or empty
    current_version INTEGER      NOT NULL,
    origin_hash     VARCHAR(64)  NOT NULL,   -- SHA-256 of the source's canonical document
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at      TIMESTAMP WITH TIME ZONE -- set when the source disappeared or the API deleted it
);

CREATE TABLE personality_versions (
    personality_id VARCHAR(64)  NOT NULL REFERENCES personalities (id),
    version        INTEGER      NOT NULL,
    source         VARCHAR(200) NOT NULL,    -- bundle, plugin:<id>, api, import, evolution:<id>, ...
    content_hash   VARCHAR(64)  NOT NULL,    -- SHA-256 of the document below
    document       VARCHAR      NOT NULL,    -- the personality as a canonical native persona.yaml
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (personality_id, version)
);
