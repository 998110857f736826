package dev.nexus.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {

    @Test
    void parseObject_readsNestedValuesAndEscapes() {
        Map<String, Object> map = StrictJson.parseObject(
                " {\"a\":\"x\\u00e9\\\"\\n\",\"n\":-1.5e1,\"i\":12,\"b\":false,\"z\":null,\"l\":[{},[]]} ");

        assertThat(map).containsEntry("a", "xé\"\n").containsEntry("n", -15.0).containsEntry("i", 12L)
                .containsEntry("b", false).containsEntry("z", null).containsEntry("l", List.of(Map.of(), List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{}}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{'a':1}", "{\"a\":+1}",
        "{\"a\":1.}", "{\"a\":.5}", "{\"a\":01}", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}", "{\"a\":nul}", "{\"a\":[1 2]}",
        "{\"a\":\"line\nbreak\"}", "[]", "\"text\"", "{\"a\":1}/*c*/", "{\"a\":1,\"a\":1}"})
    void parseObject_refusesMalformedInput(String json) {
        assertThatThrownBy(() -> StrictJson.parseObject(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON at offset ");
    }

    @Test
    void quote_escapesEverythingJsonRequires() {
        assertThat(StrictJson.quote("a\"b\\c\nd\u0001e\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001e\\u2028\"");
        assertThat(StrictJson.parseObject("{\"k\":" + StrictJson.quote("round \" trip \\ \t ✓") + "}"))
                .containsEntry("k", "round \" trip \\ \t ✓");
    }
}
