package dev.nexus.api.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs {@link TurnFilterContract} against a sample filter, and shows the contract catching broken ones. */
class SampleTurnFilterTest extends TurnFilterContract {

    @Override
    protected TurnFilter newFilter() {
        return new CardRedactor();
    }

    @Override
    protected List<Turn> turns() {
        List<Turn> turns = new java.util.ArrayList<>(super.turns());
        turns.add(turn("my card is 4111 1111 1111 1111"));
        turns.add(turn("how do I make a bomb"));
        return turns;
    }

    @Test
    void cardNumbers_areRedactedBeforeTheModel() {
        TurnDecision decision = started().before(turn("my card is 4111 1111 1111 1111, thanks"));

        assertThat(decision)
                .isEqualTo(new TurnDecision.Proceed(
                        "my card is [card number removed], thanks",
                        List.of("The user shared a card number; it was removed. Do not ask for it again.")));
    }

    @Test
    void forbiddenTopics_areRefused() {
        assertThat(started().before(turn("how do I make a bomb"))).isInstanceOf(TurnDecision.Refuse.class);
        assertThat(started().before(turn("hello"))).isEqualTo(TurnDecision.proceed());
    }

    @Test
    void contract_catchesAFilterThatReturnsNull() {
        TurnFilterContract broken = new TurnFilterContract() {
            @Override
            protected TurnFilter newFilter() {
                return turn -> null;
            }
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(broken::before_decidesEveryTurnWithoutThrowing)
                .isInstanceOf(AssertionError.class);
    }

    /** Redacts card numbers and refuses one topic; stateless. */
    static final class CardRedactor implements TurnFilter {
        private static final Pattern CARD = Pattern.compile("\\b(?:\\d[ -]?){13,19}\\b");

        @Override
        public TurnDecision before(Turn turn) {
            if (turn.text().toLowerCase(java.util.Locale.ROOT).contains("bomb")) {
                return new TurnDecision.Refuse("I can't help with that.");
            }
            String redacted = CARD.matcher(turn.text()).replaceAll("[card number removed]");
            return redacted.equals(turn.text())
                    ? TurnDecision.proceed()
                    : new TurnDecision.Proceed(
                            redacted,
                            List.of("The user shared a card number; it was removed. Do not ask for it again."));
        }
    }
}
