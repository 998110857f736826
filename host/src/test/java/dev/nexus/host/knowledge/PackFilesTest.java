package dev.nexus.host.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Knowledge packs (files and HTTP uploads share PackFiles.parse) get host.json's YAML limits, as personalities do. */
class PackFilesTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parse_yamlPack_readsIt() {
        var pack = PackFiles.parse(utf8("id: tea\nname: Tea\nfacts:\n  - Green tea is steeped at 80 degrees.\n"), true);

        assertThat(pack.id()).isEqualTo("tea");
    }

    @Test
    void parse_yamlWithADuplicateKey_isRefusedNamingIt() {
        assertThatThrownBy(() -> PackFiles.parse(utf8("id: tea\nid: coffee\nname: Tea\nfacts: [x]\n"), true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("malformed YAML: ")
                .hasMessageContaining("Duplicate field 'id'");
    }
}
