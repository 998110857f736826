package dev.nexus.host.userdata;

import dev.nexus.host.auth.Principals;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A person's data, theirs to take and erase: {@link #export} gathers everything every feature holds
 * about a user id, {@link #erase} erases it feature by feature, in the order the holdings were given
 * (feedback before the messages it names, keys last). Each feature erases in its own transaction; an
 * erasure that fails half-way is completed by asking again (erasing is idempotent). Thread-safe.
 */
public final class UserData {

    /** The version of the export's layout, for whoever reads archives later. */
    static final int FORMAT = 1;

    private final List<Holding> holdings;
    private final Clock clock;

    public UserData(List<Holding> holdings, Clock clock) {
        this.holdings = List.copyOf(holdings);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns everything Nexus holds about {@code user}, one section per holding.
     *
     * @throws dev.nexus.host.InvalidInputException when {@code user} is not a valid user id
     */
    public Map<String, Object> export(String user) {
        Principals.requireValid("id", user);
        Map<String, Object> archive = new LinkedHashMap<>();
        archive.put("format", "nexus-user-export/" + FORMAT);
        archive.put("user", user);
        archive.put("exportedAt", clock.instant());
        for (Holding holding : holdings) {
            archive.put(holding.name(), holding.export().apply(user));
        }
        return archive;
    }

    /**
     * Erases everything Nexus holds about {@code user} and returns how many of each kind of thing went.
     *
     * @throws dev.nexus.host.InvalidInputException when {@code user} is not a valid user id
     */
    public Map<String, Integer> erase(String user) {
        Principals.requireValid("id", user);
        Map<String, Integer> erased = new LinkedHashMap<>();
        for (Holding holding : holdings) {
            holding.erase().apply(user).forEach((kind, count) -> erased.merge(kind, count, Integer::sum));
        }
        return erased;
    }
}
