-- Regenerated replies ("swipes"): another reply to the same user message, kept beside the first. An
-- alternative has in_reply_to NULL (in_reply_to stays unique: one reply per message in the history) and
-- alternative_to = the user message it answers. Histories and message pages leave alternatives out;
-- the listing shows them under the reply they are alternatives of; feedback can name any of them.
ALTER TABLE messages ADD COLUMN alternative_to VARCHAR(64);
CREATE INDEX messages_alternatives ON messages (alternative_to);
