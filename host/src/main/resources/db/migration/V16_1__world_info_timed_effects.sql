-- World Info timed effects (sticky, cooldown) per conversation and lore entry, in chat positions
-- (messages in the conversation). A row is written when an entry with a timed effect activates; rows
-- set at a chat length the conversation has not gone past are replaced when that turn is evaluated
-- again (a regeneration, a retried turn), as SillyTavern drops effects when the chat does not advance.
-- Deleting the conversation (or erasing its user) deletes its rows.
CREATE TABLE world_info_timed (
    conversation_id VARCHAR(64)  NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    entry_key       VARCHAR(300) NOT NULL,
    activated_at    BIGINT       NOT NULL,
    sticky_until    BIGINT       NOT NULL,
    cooldown_until  BIGINT       NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (conversation_id, entry_key)
);
