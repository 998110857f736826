-- Avatar images that came with imported personalities (a PNG card's image, a CHARX main icon),
-- one per personality id; PNG and CHARX export embed the card into it.
CREATE TABLE interchange_avatars (
    personality_id VARCHAR(64) PRIMARY KEY,
    media_type     VARCHAR(100) NOT NULL,
    image          BYTEA NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
