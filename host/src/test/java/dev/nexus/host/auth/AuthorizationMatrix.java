package dev.nexus.host.auth;

import dev.nexus.host.http.Access;
import dev.nexus.host.http.Route;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The authorization matrix, derived from the route table: for every route's {@link Access} rule and
 * every kind of caller, what the server must answer. {@code AuthorizationMatrixTest} sends the
 * requests; {@code AuthorizationDocsTest} keeps the table in docs/api.md equal to {@link #markdown}.
 */
final class AuthorizationMatrix {

    /** The callers every route is tried with. */
    enum Who {
        NO_KEY("no key"),
        BOGUS("bogus key"),
        REVOKED("revoked key"),
        OWNER("user (owner)"),
        OTHER("user (other)"),
        APPROVER("approver"),
        ADMIN("admin");

        final String label;

        Who(String label) {
            this.label = label;
        }
    }

    /** What a caller must get: an exact status, the same as every other caller (public), or past the checks. */
    sealed interface Expect {
        /** Exactly this status. */
        record Status(int code) implements Expect {}

        /** Authorized: the handler decides, so anything but 401, 403, a 5xx, and for owned resources 404. */
        record Pass(boolean owned) implements Expect {}

        /** A public route: keys play no part, every caller gets the same status. */
        record Same() implements Expect {}

        default String cell() {
            return switch (this) {
                case Status s -> Integer.toString(s.code());
                case Pass p -> "✓";
                case Same s -> "=";
            };
        }

        default boolean accepts(int status) {
            return switch (this) {
                case Status s -> status == s.code();
                case Pass p -> status != 401 && status != 403 && status < 500 && !(p.owned() && status == 404);
                case Same s -> status < 500;
            };
        }
    }

    private AuthorizationMatrix() {}

    static Expect expected(Access access, Who who) {
        if (access.kind() == Access.Kind.PUBLIC) {
            return new Expect.Same();
        }
        if (who == Who.NO_KEY || who == Who.BOGUS || who == Who.REVOKED) {
            return new Expect.Status(401);
        }
        boolean owned = access.kind() == Access.Kind.USER_OWNS || access.kind() == Access.Kind.USER_MEMBER;
        return switch (access.kind()) {
            case ADMIN -> who == Who.ADMIN ? new Expect.Pass(false) : new Expect.Status(403);
            case APPROVER -> who == Who.ADMIN || who == Who.APPROVER ? new Expect.Pass(false) : new Expect.Status(403);
            case USER_SHARED, USER_SELF, USER_OWNS, USER_MEMBER ->
                switch (who) {
                    case APPROVER -> new Expect.Status(403);
                    case OTHER -> owned ? new Expect.Status(404) : new Expect.Pass(false);
                    default -> new Expect.Pass(owned);
                };
            case PUBLIC -> throw new AssertionError("handled above");
        };
    }

    /** Returns the routes in table order: by path, then GET, POST, PUT, DELETE. */
    static List<Route> ordered(List<Route> routes) {
        Map<String, Integer> methods = Map.of("GET", 0, "POST", 1, "PUT", 2, "PATCH", 3, "DELETE", 4);
        return routes.stream()
                .sorted(Comparator.comparing(Route::path).thenComparing(r -> methods.getOrDefault(r.method(), 9)))
                .toList();
    }

    /** Returns the matrix as a Markdown table. */
    static String markdown(List<Route> routes) {
        StringBuilder table = new StringBuilder("| Method | Path | Rule |");
        for (Who who : Who.values()) {
            table.append(' ').append(who.label).append(" |");
        }
        table.append("\n|---|---|---|");
        table.append("---|".repeat(Who.values().length)).append('\n');
        for (Route route : ordered(routes)) {
            table.append("| ")
                    .append(route.method())
                    .append(" | `")
                    .append(route.path())
                    .append("` | ")
                    .append(route.access().describe())
                    .append(" |");
            for (Who who : Who.values()) {
                table.append(' ').append(expected(route.access(), who).cell()).append(" |");
            }
            table.append('\n');
        }
        return table.toString();
    }
}
