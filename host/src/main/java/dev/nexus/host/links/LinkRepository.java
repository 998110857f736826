package dev.nexus.host.links;

import dev.nexus.host.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Stores identity links in {@code identity_links}. Thread-safe. */
final class LinkRepository {

    private final Jdbi jdbi;

    LinkRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Links (or re-links) {@code link.identity()}, in one transaction; returns the link it replaced, if any. */
    Optional<Link> put(Link link) {
        return jdbi.inTransaction(h -> {
            Optional<Link> before = h.createQuery("SELECT * FROM identity_links WHERE identity = :identity")
                    .bind("identity", link.identity())
                    .map((rs, ctx) -> read(rs))
                    .findOne();
            h.createUpdate("DELETE FROM identity_links WHERE identity = :identity")
                    .bind("identity", link.identity())
                    .execute();
            h.createUpdate("""
                    INSERT INTO identity_links (identity, user_id, created_at, created_by)
                    VALUES (:identity, :user, :at, :by)""")
                    .bind("identity", link.identity())
                    .bind("user", link.user())
                    .bind("at", link.createdAt().atOffset(ZoneOffset.UTC))
                    .bind("by", link.createdBy())
                    .execute();
            return before;
        });
    }

    Optional<Link> find(String identity) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM identity_links WHERE identity = :identity")
                .bind("identity", identity)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    List<Link> list(Optional<String> user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM identity_links"
                        + (user.isPresent() ? " WHERE user_id = :user" : "") + " ORDER BY identity")
                .bindMap(user.isPresent() ? java.util.Map.of("user", user.get()) : java.util.Map.of())
                .map((rs, ctx) -> read(rs))
                .list());
    }

    boolean delete(String identity) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM identity_links WHERE identity = :identity")
                        .bind("identity", identity)
                        .execute())
                == 1;
    }

    int deleteUser(String user) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM identity_links WHERE user_id = :user")
                .bind("user", user)
                .execute());
    }

    private static Link read(ResultSet rs) throws SQLException {
        return new Link(
                rs.getString("identity"),
                rs.getString("user_id"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"));
    }
}
