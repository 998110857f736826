-- Tool calls that wait for a human (issue 12): the reply that asked for the call is stored at once,
-- and once the proposal is decided (approved and run, rejected, expired) the conversation goes on:
-- the outcome is appended as a 'tool' message and the model is asked to continue. continued_at is set
-- in the transaction that appends that message, so a call continues its conversation at most once;
-- rows still NULL whose proposal is decided are picked up at start-up (nothing acknowledged is lost).
CREATE TABLE tool_call_continuations (
    proposal_id      VARCHAR(64)  PRIMARY KEY,
    conversation_id  VARCHAR(64)  NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    reply_id         VARCHAR(64)  NOT NULL,
    tool             VARCHAR(200) NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    continued_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX tool_call_continuations_open ON tool_call_continuations (continued_at);
