-- Issue 16: facts carry when they happened (occurred_at = validFrom), when a newer statement
-- superseded them (valid_until, superseded_by: the old fact is kept as history, never overwritten),
-- whether they are pinned, the caller's external id and metadata, and the message they came from.
ALTER TABLE memory_fact ADD COLUMN occurred_at TIMESTAMP WITH TIME ZONE;
UPDATE memory_fact SET occurred_at = created_at;
ALTER TABLE memory_fact ADD COLUMN valid_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE memory_fact ADD COLUMN superseded_by VARCHAR(64);
ALTER TABLE memory_fact ADD COLUMN pinned BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE memory_fact ADD COLUMN external_id VARCHAR(200);
ALTER TABLE memory_fact ADD COLUMN metadata VARCHAR;
ALTER TABLE memory_fact ADD COLUMN source_message VARCHAR(64);
CREATE INDEX memory_fact_external ON memory_fact (user_id, external_id);
CREATE INDEX memory_fact_occurred ON memory_fact (user_id, occurred_at);
