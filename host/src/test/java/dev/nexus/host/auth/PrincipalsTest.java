package dev.nexus.host.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Which user ids a key may be bound to: what the check promises in its javadoc. */
class PrincipalsTest {

    @Test
    void requireValid_acceptsPrintableIdsUpTo200CharactersAndPairedSurrogates_andReturnsThem() {
        assertThat(Principals.requireValid("user", "alice")).isEqualTo("alice");
        assertThat(Principals.requireValid("user", "a".repeat(200))).hasSize(200);
        assertThat(Principals.requireValid("user", "ann \uD83D\uDE00")).isEqualTo("ann \uD83D\uDE00");
        assertThat(Principals.requireValid("user", "\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void requireValid_refusesEmpty201CharactersControlCharactersAndUnpairedSurrogates_namingTheField() {
        assertThatThrownBy(() -> Principals.requireValid("user", " "))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("'user' must be a user id of 1-200 characters");
        assertThatThrownBy(() -> Principals.requireValid("user", "a".repeat(201)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("'user' must be a user id of 1-200 characters");
        assertThatThrownBy(() -> Principals.requireValid("user", "ann\nbob"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("'user' must not contain control characters; use printable text");
        for (String unpaired : new String[] {"a\uD83D", "\uD83Da", "\uDE00a", "a\uDE00\uD83D"}) {
            assertThatThrownBy(() -> Principals.requireValid("owner", unpaired))
                    .as(
                            "unpaired surrogate in %s",
                            unpaired.codePoints().boxed().toList())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("'owner' contains an unpaired UTF-16 surrogate; send valid Unicode text");
        }
    }
}
