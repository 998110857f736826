package dev.nexus.host.links;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Principals;
import dev.nexus.host.db.Database;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Platform identities linked to users, so one person's memory follows them across channels when an
 * admin links them, and never otherwise. A message from platform {@code p} by platform user {@code u}
 * acts as the user its identity {@code p:u} is linked to; an identity without a link is its own
 * principal ({@code p:u}), which no API key and no other platform identity can act as. Links are read
 * from the database on every message, so a change takes effect at once on every host sharing it.
 * Thread-safe.
 */
public final class IdentityLinks {

    /** A platform identity: a platform name, a colon, and the platform's id of the user. */
    private static final Pattern IDENTITY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}:.+");

    private final LinkRepository repository;
    private final Clock clock;

    public IdentityLinks(Database database, Clock clock) {
        this.repository = new LinkRepository(database);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns the identity of platform user {@code platformUser} on {@code platform}: {@code platform:platformUser}. */
    public static String identity(String platform, String platformUser) {
        return platform + ":" + platformUser;
    }

    /**
     * Returns the user a message from {@code platformUser} on {@code platform} acts as: the linked user,
     * or the identity itself when it is not linked.
     */
    public String principalOf(String platform, String platformUser) {
        String identity = identity(platform, platformUser);
        return repository.find(identity).map(Link::user).orElse(identity);
    }

    /**
     * Links {@code identity} to {@code user} (replacing an earlier link of the same identity).
     *
     * @throws InvalidInputException when the identity or the user id is malformed, naming the field
     */
    public Link link(String identity, String user, Caller admin) {
        requireIdentity(identity);
        if (user == null) {
            throw new InvalidInputException(
                    "field 'user' is required: the user id this identity acts as, e.g. {\"user\": \"alice\"}");
        }
        Principals.requireValid("user", user);
        if (user.equals(identity)) {
            throw new InvalidInputException(
                    "field 'user' names the identity itself; an unlinked identity already acts as itself, "
                            + "so DELETE /v1/links/" + InvalidInputException.cap(identity) + " instead");
        }
        Link link = new Link(identity, user, clock.instant(), admin.keyId());
        repository.put(link);
        return link;
    }

    /** Returns the link of {@code identity}, or empty. */
    public Optional<Link> find(String identity) {
        return repository.find(identity);
    }

    /** Returns every link, or those to {@code user}, by identity. */
    public List<Link> list(Optional<String> user) {
        user.ifPresent(u -> Principals.requireValid("user", u));
        return repository.list(user);
    }

    /**
     * Removes the link of {@code identity}: its messages act as the identity itself again.
     *
     * @throws NotFoundException when it is not linked
     */
    public void unlink(String identity) {
        requireIdentity(identity);
        if (!repository.delete(identity)) {
            throw NotFoundException.of("identity link", identity);
        }
    }

    /** Returns the links to {@code user}, for a person's export. */
    public List<Link> exportUser(String user) {
        return repository.list(Optional.of(user));
    }

    /** Removes every link to {@code user} (a person's erasure); returns how many. */
    public Map<String, Integer> eraseUser(String user) {
        return Map.of("links", repository.deleteUser(user));
    }

    private static void requireIdentity(String identity) {
        Principals.requireValid("identity", identity);
        if (!IDENTITY.matcher(identity).matches()) {
            throw new InvalidInputException("path parameter 'identity' must be '<platform>:<platform user id>' such as "
                    + "'telegram:123' or 'webhook:ada' (platform: lower-case letters, digits, '-' or '_'), got '"
                    + InvalidInputException.cap(identity) + "'");
        }
    }
}
