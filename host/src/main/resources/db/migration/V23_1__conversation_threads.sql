-- Group chats and threads on platforms (issue 14): every message of one Telegram group, Discord
-- channel or Slack thread continues ONE conversation per (platform, personality, thread), whoever
-- wrote it; thread_key is NULL for direct and API conversations (NULLs never collide in a unique index).
ALTER TABLE conversations ADD COLUMN thread_key VARCHAR(200);
CREATE UNIQUE INDEX conversations_by_thread ON conversations (platform, personality_id, thread_key);
