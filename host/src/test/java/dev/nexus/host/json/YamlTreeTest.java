package dev.nexus.host.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host's one YAML reader: personalities and knowledge packs (files and uploads) go through it. */
class YamlTreeTest {

    @Test
    void aliasBomb_isRefusedNamingTheFirstAlias() {
        StringBuilder bomb = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 30; level++) {
            bomb.append('l')
                    .append(level)
                    .append(": &l")
                    .append(level)
                    .append(" [*l")
                    .append(level - 1)
                    .append(", *l")
                    .append(level - 1)
                    .append("]\n");
        }

        assertThatThrownBy(() -> YamlTree.read(bomb.toString(), 1_000_000))
                .isInstanceOf(YamlTree.SyntaxError.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("YAML aliases (*l0) are not accepted");
    }

    @Test
    void anAlias_isRefused_ratherThanReadAsItsAnchorsName() throws Exception {
        assertThat(YamlTree.read("greeting: &hello Hello\nother: plain\n", 10_000))
                .isEqualTo(Map.of("greeting", "Hello", "other", "plain"));
        assertThatThrownBy(() -> YamlTree.read("greeting: &hello Hello\nagain: *hello\n", 10_000))
                .isInstanceOf(YamlTree.SyntaxError.class)
                .hasMessage("line 2, column 8: YAML aliases (*hello) are not accepted; write the value out in full");
    }

    @Test
    void duplicateKey_isRefusedWithItsLine() {
        assertThatThrownBy(() -> YamlTree.read("id: tea\nname: Tea\nid: coffee\n", 10_000))
                .isInstanceOf(YamlTree.SyntaxError.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("Duplicate field 'id'");
    }

    @Test
    void documentOverTheSizeLimit_isRefused() {
        assertThatThrownBy(() -> YamlTree.read("facts: [" + "x, ".repeat(2_000) + "x]\n", 1_000))
                .isInstanceOf(YamlTree.SyntaxError.class);
    }

    @Test
    void numberLikeText_isQuotedOnWrite_soItReadsBackAsText() throws Exception {
        Map<String, Object> tree = Map.of("version", "1.0", "hex", "0x1F", "plain", "hello");

        Object back = YamlTree.read(YamlTree.write(tree), 10_000);

        assertThat(back).isEqualTo(tree);
    }
}
