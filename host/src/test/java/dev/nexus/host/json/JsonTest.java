package dev.nexus.host.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {

    record Sample(String name, Integer count, Optional<Boolean> flag, List<String> tags) {}

    @Test
    void read_numberWhereTextIsExpected_isRefusedNamingTheField() {
        assertThatThrownBy(() -> Json.read("{\"name\":42}", Sample.class))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'name'");
    }

    @Test
    void read_textWhereANumberIsExpected_isRefusedNamingTheField() {
        assertThatThrownBy(() -> Json.read("{\"count\":\"42\"}", Sample.class))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'count'");
    }

    @Test
    void read_unknownField_isRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> Json.read("{\"nmae\":\"x\"}", Sample.class))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown field 'nmae'")
                .hasMessageContaining("name");
    }

    @Test
    void read_trailingTokensAndDeepNesting_areRefused() {
        assertThatThrownBy(() -> Json.read("{\"name\":\"x\"} {}", Sample.class))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Json.readMap("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void read_validDocument_bindsEveryField() {
        assertThat(Json.read("{\"name\":\"x\",\"count\":2,\"flag\":true,\"tags\":[\"a\"]}", Sample.class))
                .isEqualTo(new Sample("x", 2, Optional.of(true), List.of("a")));
    }
}
