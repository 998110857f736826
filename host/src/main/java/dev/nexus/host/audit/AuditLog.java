package dev.nexus.host.audit;

import dev.nexus.host.Ids;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.db.Database;
import dev.nexus.host.http.Access;
import dev.nexus.host.http.Actions;
import dev.nexus.host.http.Exchange;
import dev.nexus.host.http.Route;
import dev.nexus.host.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The audit log: an append-only record of every mutating admin or approver action (and of erasures),
 * kept in one place: the HTTP layer reports each authorized request to {@link #begin}, which records
 * the routes that need it. Who (key id and name), what (the route), which target (the resource path,
 * or the {@code Location} of what was created), when, and the SHA-256 of the target's stored
 * representation before and after, for targets whose feature registered one with {@link #fingerprint}.
 * Thread-safe.
 *
 * <p>Recorded: every POST, PUT, PATCH and DELETE of an {@link Access.Kind#ADMIN} or {@link Access.Kind#APPROVER}
 * route (so a new admin route is audited the moment it exists), plus the routes named with
 * {@link #alsoRecord}. An action is written after its handler answered successfully; a failure changed
 * nothing and is not recorded.
 */
public final class AuditLog implements Actions {

    /** One page of the log, newest first, and the cursor of the next page when there may be more. */
    public record Page(List<AuditEntry> entries, Optional<Long> next) {}

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final AuditRepository repository;
    private final Clock clock;
    private final Map<String, Function<String, Optional<?>>> representations = new ConcurrentHashMap<>();
    private final Set<String> alsoRecorded = ConcurrentHashMap.newKeySet();

    public AuditLog(Database database, Clock clock) {
        this.repository = new AuditRepository(database);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Fingerprints the targets of {@code pattern} (a path with one parameter, e.g. {@code /v1/keys/{id}}):
     * {@code representation} returns what is stored under the parameter's value, or empty when nothing is
     * (a {@link NotFoundException} or {@link InvalidInputException} counts as empty). Its JSON form is hashed, never stored.
     */
    public AuditLog fingerprint(String pattern, Function<String, Optional<?>> representation) {
        if (Paths.parameterIndex(pattern) < 0) {
            throw new IllegalArgumentException("fingerprint pattern " + pattern + " needs one {parameter}");
        }
        representations.put(pattern, Objects.requireNonNull(representation, "representation"));
        return this;
    }

    /** Records the route {@code method path} too, whatever its access rule (e.g. erasures an owner may ask for). */
    public AuditLog alsoRecord(String method, String path) {
        alsoRecorded.add(method + " " + path);
        return this;
    }

    /** Returns true when calls of {@code route} are recorded. */
    public boolean records(Route route) {
        if (READS.contains(route.method())) {
            return false;
        }
        Access.Kind kind = route.access().kind();
        return kind == Access.Kind.ADMIN
                || kind == Access.Kind.APPROVER
                || alsoRecorded.contains(route.method() + " " + route.path());
    }

    @Override
    public Optional<Action> begin(Route route, Exchange exchange) {
        if (!records(route)) {
            return Optional.empty();
        }
        Caller caller = exchange.caller();
        String target = Paths.target(route.path(), exchange::pathParam);
        Optional<String> before = fingerprintOf(target);
        return Optional.of((status, location) -> {
            String created = location.filter(l -> l.startsWith("/")).orElse(target);
            repository.append(new AuditEntry(
                    0,
                    Ids.newId(clock),
                    clock.instant(),
                    caller.keyId(),
                    caller.name(),
                    route.method() + " " + route.path(),
                    created,
                    status,
                    created.equals(target) ? before : Optional.empty(),
                    fingerprintOf(created)));
        });
    }

    /** Returns the page of the log {@code query} asks for, newest first. */
    public Page find(AuditQuery query) {
        List<AuditEntry> entries = repository.find(query);
        Optional<Long> next = entries.size() == query.limit()
                ? Optional.of(entries.get(entries.size() - 1).seq())
                : Optional.empty();
        return new Page(List.copyOf(entries), next);
    }

    private Optional<String> fingerprintOf(String target) {
        for (var registered : representations.entrySet()) {
            Optional<String> value = Paths.match(registered.getKey(), target);
            if (value.isPresent()) {
                Optional<?> representation;
                try {
                    representation = registered.getValue().apply(value.get());
                } catch (NotFoundException | InvalidInputException e) {
                    representation = Optional.empty();
                }
                return representation.map(stored -> sha256(Json.writeBytes(stored)));
            }
        }
        return Optional.empty();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
