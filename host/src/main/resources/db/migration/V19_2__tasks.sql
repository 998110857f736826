-- The task executor's durable queue (issue 15). A task is one call of an integration's action (a tool):
-- pending -> running -> completed | failed, or pending again for a retry (next_run_at later); risky
-- actions start as awaiting-approval and are released to pending in the transaction that approves their
-- proposal, so they run only after that approval has committed. A host claims a pending task with a
-- compare-and-set on its status (after SELECT ... FOR UPDATE SKIP LOCKED), writing its lease: the task
-- runs on one host only, however many share the database. Every transition appends to task_audit.
CREATE TABLE tasks (
    id            VARCHAR(64)  PRIMARY KEY,
    integration   VARCHAR(200) NOT NULL,
    action        VARCHAR(64)  NOT NULL,
    tool          VARCHAR(64)  NOT NULL,
    params        VARCHAR      NOT NULL,
    user_id       VARCHAR(200) NOT NULL,
    personality   VARCHAR(200) NOT NULL,
    origin        VARCHAR(16)  NOT NULL,
    call_id       VARCHAR(200) NOT NULL,
    risk          VARCHAR(16)  NOT NULL,
    status        VARCHAR(24)  NOT NULL,
    proposal_id   VARCHAR(64),
    attempts      INTEGER      NOT NULL,
    max_attempts  INTEGER      NOT NULL,
    next_run_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner   VARCHAR(200),
    lease_until   TIMESTAMP WITH TIME ZONE,
    result        VARCHAR,
    error         VARCHAR,
    created_by    VARCHAR(200) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX tasks_runnable ON tasks (status, next_run_at);
CREATE INDEX tasks_by_user ON tasks (user_id, created_at);
CREATE INDEX tasks_by_proposal ON tasks (proposal_id);

-- Append-only: the code never updates or deletes these rows (they go with their task).
CREATE TABLE task_audit (
    id          VARCHAR(64)  PRIMARY KEY,
    task_id     VARCHAR(64)  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    from_status VARCHAR(24),
    to_status   VARCHAR(24)  NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    detail      VARCHAR(2000),
    at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX task_audit_by_task ON task_audit (task_id, id);
