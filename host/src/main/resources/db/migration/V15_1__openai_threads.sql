-- How an OpenAI-compatible client's stateless requests find their Nexus conversation: each row maps the
-- fingerprint (SHA-256) of a history the client may send (personality, user, and every message's role
-- and text) to the conversation that holds it. A row with a message_id is the history ending in that
-- user message, so a client retrying the same request is answered from the stored turn (nothing is
-- stored twice).
CREATE TABLE openai_threads (
    fingerprint     VARCHAR(64)  PRIMARY KEY,
    conversation_id VARCHAR(64)  NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id      VARCHAR(64),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX openai_threads_by_conversation ON openai_threads (conversation_id);
