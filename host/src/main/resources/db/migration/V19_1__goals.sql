-- Goals, their milestones and their progress history (issue 15). A goal belongs to one user; its
-- progress is computed from the milestones (done / all) unless progress_set holds a value someone set
-- (POST /v1/goals/{id}/progress). Every change of progress appends a row to goal_progress.
CREATE TABLE goals (
    id            VARCHAR(64)   PRIMARY KEY,
    user_id       VARCHAR(200)  NOT NULL,
    title         VARCHAR(200)  NOT NULL,
    description   VARCHAR(4000) NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    deadline      TIMESTAMP WITH TIME ZONE,
    progress_set  DOUBLE PRECISION,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX goals_by_user ON goals (user_id, status, created_at);

-- done_source says who marked a milestone done: 'api' (a person, over HTTP) or 'chat' (what the user
-- said in a conversation); done_ref the chat message id; done_method 'manual', 'rules' or 'model'.
CREATE TABLE goal_milestones (
    id           VARCHAR(64)  PRIMARY KEY,
    goal_id      VARCHAR(64)  NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    title        VARCHAR(200) NOT NULL,
    position     INTEGER      NOT NULL,
    due          TIMESTAMP WITH TIME ZONE,
    done_at      TIMESTAMP WITH TIME ZONE,
    done_source  VARCHAR(16),
    done_ref     VARCHAR(200),
    done_method  VARCHAR(16),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX goal_milestones_by_goal ON goal_milestones (goal_id, position);

CREATE TABLE goal_progress (
    id        VARCHAR(64)      PRIMARY KEY,
    goal_id   VARCHAR(64)      NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    progress  DOUBLE PRECISION NOT NULL,
    source    VARCHAR(200)     NOT NULL,
    note      VARCHAR(2000),
    at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX goal_progress_by_goal ON goal_progress (goal_id, at);
