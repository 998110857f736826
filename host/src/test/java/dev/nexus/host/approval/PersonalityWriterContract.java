package dev.nexus.host.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What approval relies on from the personality registry's write port, run against the real registry
 * ({@code PersonalityService} over both databases) and the fake ({@link InMemoryPersonalities}) that
 * every approval-path test of {@code ProposalService} and {@code EvolutionService} uses, so the fake
 * refuses what the registry refuses: stale versions, unknown personalities, traits and versions,
 * non-evolvable traits, values outside a trait's bounds, non-finite values, empty changes and blank
 * sources; and every refusal leaves the current version as it was.
 */
abstract class PersonalityWriterContract {

    static final PersonalityId SAGE = PersonalityId.of("sage");
    static final Traits TRAITS = Traits.of(List.of(
            Trait.of("verbosity", 0.5),
            new Trait("humor", 0.3, false, 0, 1),
            new Trait("warmth", 0.5, true, 0.2, 0.8)));

    /** Returns the write port under test, backed by an empty registry. */
    protected abstract PersonalityWriter writer();

    /** Returns the lookup that sees what {@link #writer()} writes. */
    protected abstract PersonalityLookup lookup();

    /** Stores version 1 of {@code personality}, as created over the API. */
    protected abstract void add(Personality personality);

    @BeforeEach
    final void addSage() {
        add(Personality.minimal("sage", "Sage", "a test personality").withTraits(TRAITS));
    }

    private PersonalityVersion current() {
        return lookup().current(SAGE).orElseThrow();
    }

    private void assertUnchanged() {
        assertThat(current().version())
                .as("a refused change leaves the current version")
                .isEqualTo(1);
        assertThat(current().personality().traits()).isEqualTo(TRAITS);
    }

    @Test
    void applyTraits_toTheCurrentVersion_writesTheNextVersionWithTheNewValues() {
        PersonalityVersion written =
                writer().applyTraits(SAGE, 1, Map.of("verbosity", 0.2, "warmth", 0.7), "evolution:p-1");

        assertThat(written.version()).isEqualTo(2);
        assertThat(written.source()).isEqualTo("evolution:p-1");
        assertThat(current().version()).isEqualTo(2);
        assertThat(current().personality().traits().value("verbosity", -1)).isEqualTo(0.2);
        assertThat(current().personality().traits().value("warmth", -1)).isEqualTo(0.7);
        assertThat(current().personality().traits().value("humor", -1)).isEqualTo(0.3);
    }

    @Test
    void applyTraits_onAStaleVersion_isAConflict_andNothingChanges() {
        assertThatThrownBy(() -> writer().applyTraits(SAGE, 7, Map.of("verbosity", 0.2), "evolution:p-1"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("version 1")
                .hasMessageContaining("7");
        assertUnchanged();
    }

    @Test
    void applyTraits_toAnUnknownPersonality_isNotFound() {
        assertThatThrownBy(() ->
                        writer().applyTraits(PersonalityId.of("nobody"), 1, Map.of("verbosity", 0.2), "evolution:p-1"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nobody");
    }

    @Test
    void applyTraits_toANonEvolvableTrait_isInvalid_andNothingChanges() {
        assertThatThrownBy(() -> writer().applyTraits(SAGE, 1, Map.of("humor", 0.9), "evolution:p-1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("humor")
                .hasMessageContaining("not evolvable");
        assertUnchanged();
    }

    @Test
    void applyTraits_outsideTheTraitsBounds_isInvalid_andNothingChanges() {
        assertThatThrownBy(() -> writer().applyTraits(SAGE, 1, Map.of("warmth", 0.9), "evolution:p-1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("warmth")
                .hasMessageContaining("0.8");
        assertUnchanged();
    }

    @Test
    void applyTraits_notANumber_isInvalid_andNothingChanges() {
        assertThatThrownBy(() -> writer().applyTraits(SAGE, 1, Map.of("verbosity", Double.NaN), "evolution:p-1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("finite");
        assertUnchanged();
    }

    @Test
    void applyTraits_aNullValue_isInvalid_andNothingChanges() {
        Map<String, Double> values = new HashMap<>();
        values.put("verbosity", null);

        assertThatThrownBy(() -> writer().applyTraits(SAGE, 1, values, "evolution:p-1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("finite");
        assertUnchanged();
    }

    @Test
    void applyTraits_withNoValues_isInvalid_andNothingChanges() {
        assertThatThrownBy(() -> writer().applyTraits(SAGE, 1, Map.of(), "evolution:p-1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("names no traits");
        assertUnchanged();
    }

    @Test
    void applyTraits_toAnUnknownTrait_isInvalid_andNothingChanges() {
        assertThatThrownBy(() -> writer().applyTraits(SAGE, 1, Map.of("sparkle", 0.5), "evolution:p-1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sparkle");
        assertUnchanged();
    }

    @Test
    void applyTraits_withABlankSource_isInvalid_andNothingChanges() {
        assertThatThrownBy(() -> writer().applyTraits(SAGE, 1, Map.of("verbosity", 0.2), " "))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("source");
        assertUnchanged();
    }

    @Test
    void restore_anEarlierVersion_writesItsContentAsTheNextVersion() {
        writer().applyTraits(SAGE, 1, Map.of("verbosity", 0.2), "evolution:p-1");

        PersonalityVersion restored = writer().restore(SAGE, 2, 1, "rollback:p-2");

        assertThat(restored.version()).isEqualTo(3);
        assertThat(restored.source()).isEqualTo("rollback:p-2");
        assertThat(current().version()).isEqualTo(3);
        assertThat(current().personality().traits()).isEqualTo(TRAITS);
    }

    @Test
    void restore_aVersionThatDoesNotExist_isNotFound_andNothingChanges() {
        assertThatThrownBy(() -> writer().restore(SAGE, 1, 9, "rollback:p-2"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("9");
        assertUnchanged();
    }

    @Test
    void restore_onAStaleVersion_isAConflict_andNothingChanges() {
        assertThatThrownBy(() -> writer().restore(SAGE, 4, 1, "rollback:p-2")).isInstanceOf(ConflictException.class);
        assertUnchanged();
    }

    @Test
    void restore_withABlankSource_isInvalid_andNothingChanges() {
        assertThatThrownBy(() -> writer().restore(SAGE, 1, 1, ""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("source");
        assertUnchanged();
    }
}
