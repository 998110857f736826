-- Knowledge packs imported over the API (native packs and lorebooks), stored as their JSON document.
CREATE TABLE knowledge_pack (
    id          VARCHAR(64) PRIMARY KEY,
    name        VARCHAR NOT NULL,
    document    VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Manual activation of a pack for a personality: mode 'always' or 'never'. No row = by topic.
CREATE TABLE knowledge_activation (
    pack_id     VARCHAR(64) NOT NULL,
    personality VARCHAR(64) NOT NULL,
    mode        VARCHAR(16) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (pack_id, personality)
);
CREATE INDEX knowledge_activation_personality ON knowledge_activation (personality);
