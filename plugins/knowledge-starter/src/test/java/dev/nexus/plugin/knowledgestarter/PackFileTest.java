package dev.nexus.plugin.knowledgestarter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.knowledge.KnowledgePack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PackFileTest {

    private static final String HEADER = """
            id: demo
            name: Demo
            version: 1.0.0
            category: misc
            topics: alpha, beta
            """;

    @Test
    void parse_readsHeaderFactsAndEntries() {
        KnowledgePack pack = PackFile.parse("demo.pack", HEADER + """

                # comment
                fact: First fact
                  continues here.
                entry: e1
                keys: one, two words
                content: Entry text.
                fact: Second fact.
                """);

        assertThat(pack.id()).isEqualTo("demo");
        assertThat(pack.topics()).containsExactly("alpha", "beta");
        assertThat(pack.facts()).containsExactly("First fact continues here.", "Second fact.");
        assertThat(pack.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo("e1");
            assertThat(entry.keys()).containsExactly("one", "two words");
            assertThat(entry.content()).isEqualTo("Entry text.");
        });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "fact: x\\nbogus line                    | demo.pack:7: expected 'key: value', got 'bogus line'",
                "keys: a                                 | demo.pack:6: 'keys' outside an entry; start one with 'entry: <id>'",
                "entry: e\\nkeys: a                      | demo.pack:6: entry 'e' needs both 'keys' and 'content'",
                "entry: e\\nkeys: a\\nkeys: b            | demo.pack:8: entry 'e' has 'keys' twice",
                "fact: x\\nname: Again                   | demo.pack:7: header 'name' must come before the first fact or entry",
                "colour: blue                            | demo.pack:6: unknown key 'colour'; expected one of [id, name, version, category, topics], fact, entry, keys, content",
                "fact:                                   | demo.pack:6: 'fact' has no value",
                "fact: x\\n\\tcontinued                  | demo.pack:7: indent continuation lines with two spaces, not a tab",
            })
    void parse_badBodies_nameTheFileAndLine(String body, String message) {
        String text = HEADER + body.strip().replace("\\n", "\n").replace("\\t", "\t");

        assertThatThrownBy(() -> PackFile.parse("demo.pack", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void parse_missingHeader_isNamed() {
        assertThatThrownBy(() -> PackFile.parse("x.pack", "id: x\nname: X\nversion: 1.0.0\ncategory: c\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.pack: header 'topics' is missing");
    }

    @Test
    void parse_invalidId_isReportedWithTheFile() {
        assertThatThrownBy(() -> PackFile.parse("x.pack", HEADER.replace("id: demo", "id: Not Valid")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("x.pack: knowledge pack id must match");
    }

    @Test
    void parse_duplicateHeader_isRefused() {
        assertThatThrownBy(() -> PackFile.parse("x.pack", "id: a\n" + HEADER))
                .hasMessage("x.pack:2: header 'id' is given twice");
    }

    @Test
    void parse_continuationAtStart_isRefused() {
        assertThatThrownBy(() -> PackFile.parse("x.pack", "  floating\n" + HEADER))
                .hasMessage("x.pack:1: continuation line with nothing to continue");
    }
}
