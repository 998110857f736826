-- Semantic memory: facts about users. personality '' = every personality may use the fact.
-- slot: single-valued facts (name, home, job, ...) are replaced by a newer statement in the same slot.
CREATE TABLE memory_fact (
    id                VARCHAR(64) PRIMARY KEY,
    user_id           VARCHAR(200) NOT NULL,
    personality       VARCHAR(64) NOT NULL,
    fact              VARCHAR NOT NULL,
    category          VARCHAR(32) NOT NULL,
    source            VARCHAR(32) NOT NULL,
    slot              VARCHAR(100),
    confidence        DOUBLE PRECISION NOT NULL,
    importance        DOUBLE PRECISION NOT NULL,
    retrieval_count   INTEGER NOT NULL DEFAULT 0,
    last_retrieved_at TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    embedding         BYTEA,
    embedding_model   VARCHAR(200)
);
CREATE INDEX memory_fact_user ON memory_fact (user_id, updated_at);
CREATE INDEX memory_fact_slot ON memory_fact (user_id, slot);

-- Episodic memory: every message of every conversation, with who, where and when.
CREATE TABLE memory_episode (
    id                VARCHAR(64) PRIMARY KEY,
    user_id           VARCHAR(200) NOT NULL,
    personality       VARCHAR(64) NOT NULL,
    conversation      VARCHAR(200) NOT NULL,
    platform          VARCHAR(64) NOT NULL,
    participants      VARCHAR NOT NULL,
    role              VARCHAR(16) NOT NULL,
    text              VARCHAR NOT NULL,
    importance        DOUBLE PRECISION NOT NULL,
    retrieval_count   INTEGER NOT NULL DEFAULT 0,
    last_retrieved_at TIMESTAMP WITH TIME ZONE,
    occurred_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    embedding         BYTEA,
    embedding_model   VARCHAR(200)
);
CREATE INDEX memory_episode_user ON memory_episode (user_id, occurred_at);

-- A user's profile: a display name and free attributes (JSON object of strings).
CREATE TABLE memory_profile (
    user_id       VARCHAR(200) PRIMARY KEY,
    display_name  VARCHAR(200) NOT NULL,
    attributes    VARCHAR NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- How a user and a personality get on.
CREATE TABLE memory_relationship (
    user_id           VARCHAR(200) NOT NULL,
    personality       VARCHAR(64) NOT NULL,
    interaction_count BIGINT NOT NULL,
    sentiment         DOUBLE PRECISION NOT NULL,
    first_interaction TIMESTAMP WITH TIME ZONE NOT NULL,
    last_interaction  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, personality)
);
