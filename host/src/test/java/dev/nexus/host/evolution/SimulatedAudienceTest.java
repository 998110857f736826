package dev.nexus.host.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's simulated people and statistics must be right for its figures to mean anything. */
class SimulatedAudienceTest {

    private final List<SimulatedAudience.Person> people = SimulatedAudience.people(40, 4, 1000);

    @Test
    void feedback_atTheSameEvent_usesTheSameNoiseWhateverTheVector() {
        SimulatedAudience.Person person = people.get(0);
        SimulatedAudience audience =
                SimulatedAudience.single(person, 10, new SimulatedAudience.Channels(0.6, false, 0.2, false), 3);

        SimulatedAudience.Event atIdeal = audience.feedback(4, person.ideal());
        SimulatedAudience.Event again = audience.feedback(4, person.ideal());
        SimulatedAudience.Event other = audience.feedback(5, person.ideal());

        assertThat(again).isEqualTo(atIdeal);
        assertThat(atIdeal.critiques()).isEmpty();
        assertThat(audience.error(person.ideal())).isZero();
        assertThat(audience.regret(person.ideal())).isZero();
        assertThat(List.of(atIdeal.rating(), other.rating()))
                .allSatisfy(r -> assertThat(r).isBetween(0.0, 1.0));
    }

    @Test
    void critiques_pointTowardsTheIdeal() {
        SimulatedAudience.Person person = people.get(1);
        SimulatedAudience audience =
                SimulatedAudience.single(person, 200, new SimulatedAudience.Channels(0, false, 1.0, false), 1);
        double[] far = person.ideal().clone();
        for (int i = 0; i < far.length; i++) {
            far[i] = person.ideal()[i] > 0.5 ? 0 : 1;
        }

        SimulatedAudience.Event event = audience.feedback(0, far);

        event.critiques().forEach((trait, direction) -> {
            int i = SimulatedAudience.TRAITS.indexOf(trait);
            assertThat(direction).isEqualTo(person.ideal()[i] > far[i] ? 1 : -1);
        });
        assertThat(event.critiques()).isNotEmpty();
        assertThat(Double.isNaN(event.rating())).isTrue();
    }

    @Test
    void population_targetIsAtLeastAsGoodAsTheMeanIdeal() {
        SimulatedAudience audience = SimulatedAudience.population(people, 50, SimulatedAudience.Channels.stars(0.6), 2);
        double[] mean = new double[SimulatedAudience.DIMENSIONS];
        people.forEach(p -> {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += p.ideal()[i] / people.size();
            }
        });

        assertThat(audience.utility(audience.target())).isGreaterThan(audience.utility(mean));
        assertThat(audience.error(audience.target())).isZero();
        assertThat(audience.regret(audience.target())).isZero();
    }

    @Test
    void signTest_matchesTheBinomialTail() {
        assertThat(EvolutionBenchmark.signTest(9, 1)).isCloseTo(22.0 / 1024, within(1e-12));
        assertThat(EvolutionBenchmark.signTest(5, 5)).isEqualTo(1.0);
    }
}
