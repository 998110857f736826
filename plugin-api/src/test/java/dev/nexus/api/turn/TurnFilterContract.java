package dev.nexus.api.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.nexus.api.testing.Concurrently;
import dev.nexus.api.testing.FakePluginContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The tests every {@link TurnFilter} must pass. Extend it, return a fresh filter from
 * {@link #newFilter()}, give it configuration in {@link #newContext()} and add turns that exercise
 * its rules in {@link #turns()}.
 *
 * <p>What it checks: {@code before} and {@code after} never throw and never return null or a blank
 * reply, on ordinary, empty-context, long and odd input; they answer within the host's default time
 * limit (2 s) on these inputs; the same turn gets the same decision from many threads at once.
 */
public abstract class TurnFilterContract {

    /** The host's default time limit for one filter call. */
    protected static final long DEFAULT_LIMIT_MILLIS = 2000;

    /** Returns a new filter. */
    protected abstract TurnFilter newFilter();

    /** Returns the context the filter is started with; override to supply configuration. */
    protected FakePluginContext newContext() {
        return FakePluginContext.of("contract");
    }

    /** Returns turns to check; override to add ones that trigger the filter's rules. */
    protected List<Turn> turns() {
        List<Turn> turns = new ArrayList<>();
        turns.add(turn("Hello there, how are you today?"));
        turns.add(turn("x"));
        turns.add(turn("a long message ".repeat(2_000)));
        turns.add(turn("ünïcödé, emoji 🙂, quotes \" ' and a\nnew line\u0000"));
        turns.add(new Turn("zen", "u-1", "webhook", "c-1", "with context", List.of("an earlier filter added this")));
        return turns;
    }

    /** Returns a turn on the API platform with {@code text} and no added context. */
    protected static Turn turn(String text) {
        return new Turn("zen", "u-1", "api", "c-1", text, List.of());
    }

    /** Returns a new filter started with {@link #newContext()}, as the host starts it before first use. */
    protected final TurnFilter started() {
        TurnFilter filter = newFilter();
        filter.start(newContext());
        return filter;
    }

    @Test
    void before_decidesEveryTurnWithoutThrowing() {
        TurnFilter filter = started();
        for (Turn turn : turns()) {
            TurnDecision decision = timed("before", () -> filter.before(turn));

            assertThat(decision).as("before(%s)", abbreviate(turn.text())).isNotNull();
        }
    }

    @Test
    void after_keepsOrAmendsEveryReplyWithoutThrowing() {
        TurnFilter filter = started();
        for (Turn turn : turns()) {
            String reply = timed("after", () -> filter.after(turn, "A reply to: " + abbreviate(turn.text())));

            assertThat(reply)
                    .as("after(%s)", abbreviate(turn.text()))
                    .isNotNull()
                    .isNotBlank();
        }
    }

    @Test
    void before_fromManyThreads_givesTheSameDecision() {
        TurnFilter filter = started();
        for (Turn turn : turns()) {
            TurnDecision expected = filter.before(turn);

            List<TurnDecision> results = Concurrently.run(8, i -> filter.before(turn));

            assertThat(results)
                    .as("decisions for %s", abbreviate(turn.text()))
                    .allSatisfy(result -> assertThat(result).isEqualTo(expected));
        }
    }

    private static <T> T timed(String what, java.util.function.Supplier<T> call) {
        AtomicReference<T> result = new AtomicReference<>();
        long start = System.nanoTime();
        assertThatCode(() -> result.set(call.get()))
                .as(what + " must not throw")
                .doesNotThrowAnyException();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis)
                .as(what + " took %d ms; the host isolates a filter after %d ms", millis, DEFAULT_LIMIT_MILLIS)
                .isLessThan(DEFAULT_LIMIT_MILLIS);
        return result.get();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
