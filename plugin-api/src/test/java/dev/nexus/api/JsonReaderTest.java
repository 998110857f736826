package dev.nexus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    @Test
    void read_readsEveryKindOfValue() {
        Map<String, Object> map = JsonReader.readObject(
                "{\"s\":\"a\\u00e9\\n\\/\",\"i\":-12,\"d\":1.5e2,\"z\":-0.25E-1,\"t\":true,\"f\":false,\"n\":null,\"l\":[1,{\"x\":[]}]}");

        assertThat(map)
                .containsEntry("s", "aé\n/")
                .containsEntry("i", -12L)
                .containsEntry("d", 150.0)
                .containsEntry("z", -0.025)
                .containsEntry("t", true)
                .containsEntry("f", false)
                .containsEntry("n", null);
        assertThat(map.get("l")).isEqualTo(List.of(1L, Map.of("x", List.of())));
        assertThat(map.keySet()).containsExactly("s", "i", "d", "z", "t", "f", "n", "l");
    }

    @Test
    void read_whenAnIntegerDoesNotFitALong_givesADouble() {
        assertThat(JsonReader.read("[9223372036854775807,99999999999999999999]"))
                .isEqualTo(List.of(Long.MAX_VALUE, 1.0E20));
    }

    @Test
    void read_givesValuesThePluginCannotChange() {
        Map<String, Object> map = JsonReader.readObject("{\"l\":[1]}");

        assertThatThrownBy(() -> map.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) map.get("l")).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "{",
                "{\"a\":1,}",
                "[1,]",
                "{\"a\":1}x",
                "{'a':1}",
                "{\"a\":01}",
                "{\"a\":1,\"a\":2}",
                "\"\\x\"",
                "{\"a\":tru}",
                "\"unterminated",
                "[\"tab\there\"]",
                "// comment\n{}",
                "[1.]",
                "[.5]",
                "[+1]",
                "[1e]",
                "[-]",
                "[0x10]",
                "[1.5.2]",
                "\"\\u12\"",
                "\"\\u+123\"",
                "[NaN]",
                "[\u0661]",
                "\u00a0[]"
            })
    void read_refusesMalformedInputSayingWhere(String json) {
        assertThatThrownBy(() -> JsonReader.read(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(" at offset ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            missing colon       | {"a" 1}        | expected ':' at offset 5
            bad separator       | {"a":1;"b":2}  | expected ',' or '}' at offset 7
            bad exponent        | [1e]           | bad number '1e' at offset 3
            leading zero        | [01]           | bad number '01' at offset 3
            duplicate key       | {"k":1,"k":2}  | duplicate key 'k' at offset 11
            trailing text       | {} {}          | unexpected text after the value at offset 3
            """)
    void read_saysWhatIsWrongAndWhere(String what, String json, String message) {
        assertThatThrownBy(() -> JsonReader.read(json)).hasMessage(message);
    }

    @Test
    void read_whenAKeyIsHugeOrHasControlCharacters_quotesOnlyAShortEscapedPiece() {
        String key = "\u001b[31m" + "k".repeat(10_000);

        assertThatThrownBy(() -> JsonReader.read("{\"" + key.replace("\u001b", "\\u001b") + "\":1,\""
                        + key.replace("\u001b", "\\u001b") + "\":2}"))
                .hasMessageStartingWith("duplicate key '\\u001b[31m")
                .hasMessageContaining("(10005 characters)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
    }

    @Test
    void read_refusesDeepNestingWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> JsonReader.read(deep)).hasMessage("nested deeper than 64 levels at offset 64");
        assertThatThrownBy(() -> JsonReader.read("[[[]]]", 2)).hasMessage("nested deeper than 2 levels at offset 2");
        assertThat(JsonReader.read("[[1]]", 2)).isEqualTo(List.of(List.of(1L)));
    }

    @Test
    void readObject_whenTheValueIsNotAnObject_saysWhatItIs() {
        assertThatThrownBy(() -> JsonReader.readObject("[1]")).hasMessage("expected a JSON object, found an array");
        assertThatThrownBy(() -> JsonReader.readObject("null")).hasMessage("expected a JSON object, found null");
    }

    @Test
    void write_roundTripsThroughRead() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ control \u0001 line\nbreak é 😀");
        value.put("list", List.of(1L, 2.5, false, -0.0));
        value.put("nothing", null);

        assertThat(JsonReader.read(JsonWriter.write(value))).isEqualTo(value);
    }
}
