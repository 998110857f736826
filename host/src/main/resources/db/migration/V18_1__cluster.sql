-- Several hosts on one PostgreSQL (issue 20). On H2 (one host) these tables stay empty.

-- Scheduled work that must run once per cluster: a host claims a due job with SELECT ... FOR UPDATE
-- SKIP LOCKED and holds it by a lease it renews while the job runs; a host that dies mid-job lets
-- its lease expire and another host runs that same run (run_no) again.
CREATE TABLE cluster_jobs (
    name        VARCHAR(100) PRIMARY KEY,
    next_run_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_no      BIGINT       NOT NULL DEFAULT 0,
    holder      VARCHAR(64),
    lease_until TIMESTAMP WITH TIME ZONE
);

-- Every attempt at a run: finished_at is set by the holder that completed it (at most one per run).
CREATE TABLE cluster_job_runs (
    job         VARCHAR(100) NOT NULL,
    run_no      BIGINT       NOT NULL,
    holder      VARCHAR(64)  NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (job, run_no, holder)
);

-- The hosts sharing the database, as each last said it was alive (listed by /health/ready).
CREATE TABLE cluster_members (
    host_id    VARCHAR(64)  PRIMARY KEY,
    address    VARCHAR(300) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What each host last imported from its own personalities directory: a bundle becomes a new version
-- only when it differs from what this host imported before, so a host started with an older
-- directory never rewinds what another host stored.
CREATE TABLE bundle_imports (
    host_id        VARCHAR(64) NOT NULL,
    personality_id VARCHAR(64) NOT NULL,
    origin_hash    VARCHAR(64) NOT NULL,
    imported_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (host_id, personality_id)
);
