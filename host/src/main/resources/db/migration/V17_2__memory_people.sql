-- Issue 16: a fact about someone in the user's life ("my sister Ana is a nurse") names that person:
-- the relation the user gave (about_relation) and their name (about_name), either may be NULL. The
-- user's relationship graph (GET /v1/memory/people) is read from these columns.
ALTER TABLE memory_fact ADD COLUMN about_relation VARCHAR(40);
ALTER TABLE memory_fact ADD COLUMN about_name VARCHAR(100);
CREATE INDEX memory_fact_about ON memory_fact (user_id, about_name);
