-- Issue 19: the sandbox holds against hostile jars.
-- Refused jars are remembered by the SHA-256 of their bytes, so a jar judged once (under the same policy
-- version) is never scanned again at the next start. The report is a compacted refusal (first problems
-- and denied symbols only), kept as JSON.
CREATE TABLE sandbox_refusals (
    sha256         VARCHAR(64)  PRIMARY KEY,
    file_name      VARCHAR(255) NOT NULL,
    policy_version INTEGER      NOT NULL,
    report         VARCHAR(200000) NOT NULL,
    judged_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Failure policy: the failure count resets only after this many clean calls in a row.
ALTER TABLE sandbox_plugins ADD COLUMN clean_calls INTEGER DEFAULT 0 NOT NULL;
-- The isolation level the approver accepted when it was weaker than the full OS sandbox (NULL: none needed).
ALTER TABLE sandbox_plugins ADD COLUMN accepted_isolation VARCHAR(40);
