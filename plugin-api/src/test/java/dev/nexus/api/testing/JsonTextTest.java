package dev.nexus.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    @Test
    void parse_readsEveryKindOfValue() {
        Map<String, Object> map = JsonText.parseObject(
                "{\"s\":\"a\\u00e9\\n\",\"i\":-12,\"d\":1.5e2,\"t\":true,\"n\":null,\"l\":[1,{\"x\":[]}]}");

        assertThat(map).containsEntry("s", "aé\n").containsEntry("i", -12L).containsEntry("d", 150.0)
                .containsEntry("t", true).containsEntry("n", null);
        assertThat(map.get("l")).isEqualTo(List.of(1L, Map.of("x", List.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{\"a\":1}x", "{'a':1}", "{\"a\":01}", "{\"a\":1,\"a\":2}",
            "\"\\x\"", "{\"a\":tru}", "\"unterminated", "[\"tab\there\"]", "// comment\n{}"})
    void parse_refusesMalformedInput(String json) {
        assertThatThrownBy(() -> JsonText.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON at offset");
    }

    @Test
    void parse_refusesDeepNesting() {
        char[] open = new char[1000];
        Arrays.fill(open, '[');

        assertThatThrownBy(() -> JsonText.parse(new String(open))).hasMessageContaining("nesting deeper than 64");
    }

    @Test
    void write_roundTripsThroughParse() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ control \u0001");
        value.put("list", List.of(1L, 2.5, false));
        value.put("nothing", null);

        assertThat(JsonText.parse(JsonText.write(value))).isEqualTo(value);
    }
}
