-- A/B experiments between two versions of a personality (issue 17): a share of users (sticky by a
-- hash of experiment id and user) talks to the treatment version, the rest to the control version;
-- feedback per version decides, and a worse treatment files a rollback proposal (proposal_id).
CREATE TABLE personality_experiments (
    id                VARCHAR(64)  PRIMARY KEY,
    personality_id    VARCHAR(64)  NOT NULL,
    control_version   INTEGER      NOT NULL,
    treatment_version INTEGER      NOT NULL,
    treatment_percent INTEGER      NOT NULL,
    min_feedback      INTEGER      NOT NULL,
    threshold         DOUBLE PRECISION NOT NULL,
    state             VARCHAR(16)  NOT NULL,   -- running | concluded | stopped
    verdict           VARCHAR(32),             -- treatment-worse | treatment-better | superseded
    proposal_id       VARCHAR(64),
    created_by        VARCHAR(200) NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX personality_experiments_by_personality ON personality_experiments (personality_id, state);
