package @PACKAGE@;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.turn.Turn;
import dev.nexus.api.turn.TurnDecision;
import dev.nexus.api.turn.TurnFilter;
import dev.nexus.api.turn.TurnFilterContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published {@link TurnFilterContract} (plugin-api test-jar) plus this filter's own behaviour. */
class @CLASS@Test extends TurnFilterContract {

    @Override
    protected TurnFilter newFilter() {
        return new @CLASS@();
    }

    @Override
    protected FakePluginContext newContext() {
        return FakePluginContext.builder("@ID@").config("words", List.of("password", "secret")).build();
    }

    @Override
    protected List<Turn> turns() {
        List<Turn> turns = new ArrayList<>(super.turns());
        turns.add(turn("my Password is hunter2, keep it secret"));
        return turns;
    }

    @Test
    void before_removesTheConfiguredWordsAndTellsTheModel() {
        TurnDecision decision = started().before(turn("my Password is hunter2, keep it secret"));

        assertThat(decision).isInstanceOfSatisfying(TurnDecision.Proceed.class, proceed -> {
            assertThat(proceed.text()).isEqualTo("my [removed] is hunter2, keep it [removed]");
            assertThat(proceed.addContext()).isNotEmpty();
        });
    }

    @Test
    void before_aTurnWithoutThoseWords_proceedsUnchanged() {
        assertThat(started().before(turn("hello there"))).isEqualTo(TurnDecision.proceed());
    }
}
