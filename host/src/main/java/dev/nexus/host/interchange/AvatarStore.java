package dev.nexus.host.interchange;

import dev.nexus.host.db.Database;
import dev.nexus.host.persona.PersonalityId;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Stores the avatar image of each imported personality (table {@code interchange_avatars}), so a
 * later PNG or CHARX export can embed the card back into the original image. One avatar per
 * personality id; saving again replaces it. Thread-safe.
 */
public final class AvatarStore {

    private final Jdbi jdbi;
    private final Clock clock;

    public AvatarStore(Database database, Clock clock) {
        this.jdbi = database.jdbi();
        this.clock = clock;
    }

    /** Saves (or replaces) the avatar of {@code id}. */
    public void save(PersonalityId id, Avatar avatar) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        jdbi.useTransaction(handle -> {
            handle.createUpdate("DELETE FROM interchange_avatars WHERE personality_id = :id")
                    .bind("id", id.value())
                    .execute();
            handle.createUpdate("INSERT INTO interchange_avatars (personality_id, media_type, image, updated_at)"
                            + " VALUES (:id, :type, :image, :at)")
                    .bind("id", id.value())
                    .bind("type", avatar.mediaType())
                    .bind("image", avatar.bytes())
                    .bind("at", now)
                    .execute();
        });
    }

    /** Returns the avatar of {@code id}, if one was saved. */
    public Optional<Avatar> find(PersonalityId id) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT media_type, image FROM interchange_avatars WHERE personality_id = :id")
                .bind("id", id.value())
                .map((rs, ctx) -> new Avatar(rs.getBytes("image"), rs.getString("media_type")))
                .findOne());
    }

    /** Removes the avatar of {@code id}; nothing happens when it has none. */
    public void delete(PersonalityId id) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM interchange_avatars WHERE personality_id = :id")
                .bind("id", id.value())
                .execute());
    }
}
