-- Rooms (issue 17): one conversation with several personalities and several people.
-- last_seq numbers the room's messages; a message takes the next number by updating the room's row,
-- which also serialises writers of one room on both databases.
-- Who witnessed what: a participant's row says after which message it joined (joined_after) and
-- through which message it stayed (left_through, NULL while present); a participant sees, and a
-- personality is prompted with, only the messages inside one of its rows' intervals. Joining again
-- adds a new row, so a gap stays a gap.
CREATE TABLE rooms (
    id               VARCHAR(64)   PRIMARY KEY,
    title            VARCHAR(200)  NOT NULL,
    created_by       VARCHAR(200)  NOT NULL,
    policy           VARCHAR(32)   NOT NULL,
    max_consecutive  INTEGER       NOT NULL,
    token_budget     INTEGER       NOT NULL,
    tokens_used      INTEGER       NOT NULL,
    borrowed         VARCHAR(4000) NOT NULL,
    last_seq         BIGINT        NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE room_participants (
    id            VARCHAR(64)  PRIMARY KEY,
    room_id       VARCHAR(64)  NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    kind          VARCHAR(16)  NOT NULL,
    name          VARCHAR(200) NOT NULL,
    joined_after  BIGINT       NOT NULL,
    left_through  BIGINT,
    joined_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX room_participants_by_room ON room_participants (room_id, kind, name);
CREATE INDEX room_participants_by_user ON room_participants (kind, name, left_through);

-- speaker_kind: 'user', 'personality' or 'system' (joins, leaves, protocol steps).
CREATE TABLE room_messages (
    id            VARCHAR(64)  PRIMARY KEY,
    room_id       VARCHAR(64)  NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq           BIGINT       NOT NULL,
    speaker_kind  VARCHAR(16)  NOT NULL,
    speaker       VARCHAR(200) NOT NULL,
    content       VARCHAR      NOT NULL,
    metadata      VARCHAR      NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT room_messages_seq UNIQUE (room_id, seq)
);
