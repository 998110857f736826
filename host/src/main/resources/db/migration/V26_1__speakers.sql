-- Issue 16, item 5 (speakers): a conversation can hold turns of several named people. A user message
-- records who said it (speaker_name, and the speaker's platform identity when given); NULL is the
-- conversation's own user, as before. Memory's episodes record the speaker too, so a search can show
-- and filter who said what.
ALTER TABLE messages ADD COLUMN speaker_name VARCHAR(100);
ALTER TABLE messages ADD COLUMN speaker_id VARCHAR(200);
ALTER TABLE memory_episode ADD COLUMN speaker_name VARCHAR(100);
