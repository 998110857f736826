package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.persona.ExampleTurn;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExamplesTest {

    @Test
    void parse_blankText_givesNoExamples() {
        assertThat(Examples.parse("  \n ", "Tom")).isEmpty();
    }

    @Test
    void parse_multiLineTurnsAndNamePrefixes_areJoinedToTheirSpeaker() {
        String text = "<START>\n{{user}}: Hi\nthere\nTom: Hello!\n*waves*\n<start>\n{{char}}:Alone.";

        assertThat(Examples.parse(text, "Tom"))
                .containsExactly(
                        List.of(new ExampleTurn("user", "Hi\nthere"), new ExampleTurn("assistant", "Hello!\n*waves*")),
                        List.of(new ExampleTurn("assistant", "Alone.")));
    }

    @Test
    void parse_textBeforeTheFirstSpeaker_isTheCharactersNarration() {
        assertThat(Examples.parse("<START>\n*The bar is quiet.*\n{{user}}: Hey", "Tom"))
                .containsExactly(
                        List.of(new ExampleTurn("assistant", "*The bar is quiet.*"), new ExampleTurn("user", "Hey")));
    }

    @Test
    void render_thenParse_givesTheSameExamples() {
        List<List<ExampleTurn>> examples = List.of(
                List.of(new ExampleTurn("user", "a"), new ExampleTurn("assistant", "b\nc")),
                List.of(new ExampleTurn("assistant", "d")));

        assertThat(Examples.parse(Examples.render(examples), "X")).isEqualTo(examples);
    }

    @Test
    void macros_legacyAndCaseVariants_becomeTheOneSpelling() {
        assertThat(Macros.card("<BOT> and <user> and {{Char}} and {{ USER }} keep {{original}}"))
                .isEqualTo("{{char}} and {{user}} and {{char}} and {{user}} keep {{original}}");
        assertThat(Macros.eliza("{{agentName}} greets {{user1}} and {{name2}}"))
                .isEqualTo("{{char}} greets {{user}} and {{user}}");
    }
}
