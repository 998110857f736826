package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.llm.LanguageModels;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every band of every trait {@code TraitRenderer} documents changes the offline model's reply, so an
 * approved evolution step is visible without a language model (issue 12): for each trait, the reply
 * at the middle of each band differs from the reply at the middle of the neighbouring band, all other
 * traits moderate.
 */
class OfflineTraitBandsTest {

    private static final double[] MIDDLES = {0.1, 0.3, 0.5, 0.7, 0.9};
    private static final String MESSAGE = "How should I structure the migration of our billing service?";

    static Stream<String> traits() {
        List<String> names = new ArrayList<>(Traits.WELL_KNOWN);
        names.add("urgency");
        return names.stream();
    }

    private static String reply(String trait, double value) {
        Map<String, Double> traits = new LinkedHashMap<>();
        for (String name : Traits.WELL_KNOWN) {
            traits.put(name, 0.5);
        }
        traits.put(trait, value);
        ModelRequest request = ModelRequest.of("system", List.of(ModelMessage.user(MESSAGE)))
                .withGrounding(new PersonaGrounding(OfflineReplyTest.zen(traits), "Ada", false, List.of(), List.of()));
        return LanguageModels.offlineModel().chat(request).text();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traits")
    void everyBand_givesADifferentReplyFromItsNeighbours(String trait) {
        for (int band = 0; band + 1 < MIDDLES.length; band++) {
            String lower = reply(trait, MIDDLES[band]);
            String higher = reply(trait, MIDDLES[band + 1]);
            assertThat(higher)
                    .as(
                            "%s %s (%.1f) vs %s (%.1f)",
                            trait,
                            TraitBand.of(MIDDLES[band]).label(),
                            MIDDLES[band],
                            TraitBand.of(MIDDLES[band + 1]).label(),
                            MIDDLES[band + 1])
                    .isNotEqualTo(lower);
        }
    }

    @Test
    void verbosity_0_1_and_0_25_differ_andHigherBandsSayMore() {
        assertThat(reply("verbosity", 0.25)).isNotEqualTo(reply("verbosity", 0.1));
        int previous = 0;
        for (double value : MIDDLES) {
            int length = reply("verbosity", value).length();
            assertThat(length).as("verbosity %.1f", value).isGreaterThan(previous);
            previous = length;
        }
    }
}
