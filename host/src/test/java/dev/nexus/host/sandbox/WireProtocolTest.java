package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.evolution.FitnessRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The framed JSON between host and child: what an untrusted child may send is parsed strictly and boundedly. */
class WireProtocolTest {

    @Test
    void writeThenRead_roundTripsMapsListsStringsNumbersAndNull() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 unicode é");
        value.put("long", Long.MAX_VALUE);
        value.put("double", 0.125);
        value.put("list", new ArrayList<>(List.of(true, false)));
        value.put("nothing", null);
        value.put("scores", new double[] {0.5, Double.NaN});

        Object read = WireJson.read(WireJson.write(value));

        Map<String, Object> expected = new LinkedHashMap<>(value);
        expected.put("scores", List.of(0.5, "NaN"));
        assertThat(read).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            truncated object    | {"a":1                 | unexpected end of input at offset 6
            trailing text       | {"a":1} x              | unexpected text after the value at offset 8
            duplicate key       | {"a":1,"a":2}          | duplicate key 'a' at offset 11
            bad literal         | {"a":tru}              | unexpected literal at offset 5
            leading zero        | [01]                   | bad number '01' at offset 3
            bare word           | hello                  | unexpected character 'h' at offset 0
            unquoted key        | {a:1}                  | expected a string key at offset 1
            bad escape          | `"\\x"`                | bad escape '\\x' at offset 3
            empty               | ``                     | unexpected end of input at offset 0
            """)
    void read_whenInputIsMalformed_saysWhatAndWhere(String what, String json, String message) {
        assertThatThrownBy(() -> WireJson.read(json))
                .isInstanceOf(WireJson.Malformed.class)
                .hasMessage(message);
    }

    @Test
    void write_nestsListsAndMapsExactly() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("k", List.of());
        inner.put("m", Map.of());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", List.of(1, List.of(2L, "x"), inner));
        value.put("b", new double[] {});
        value.put("c", new double[] {1.5, Double.POSITIVE_INFINITY, -0.25});
        value.put("d", List.of(Map.of("e", false)));

        assertThat(WireJson.write(value))
                .isEqualTo(
                        "{\"a\":[1,[2,\"x\"],{\"k\":[],\"m\":{}}],\"b\":[],\"c\":[1.5,\"Infinity\",-0.25],\"d\":[{\"e\":false}]}");
        assertThat(WireJson.write(List.of())).isEqualTo("[]");
        assertThat(WireJson.write(Map.of())).isEqualTo("{}");
        assertThat(WireJson.write(null)).isEqualTo("null");
    }

    @Test
    void write_escapesEveryCharacterJsonForbidsRaw() {
        assertThat(WireJson.write("q\" b\\ n\n r\r t\t \u0000\u001f\u0020é"))
                .isEqualTo("\"q\\\" b\\\\ n\\n r\\r t\\t \\u0000\\u001f é\"");
        assertThatThrownBy(() -> WireJson.write(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write java.lang.Object as wire JSON");
    }

    @Test
    void read_decodesEveryEscapeNumberAndLiteral() throws Exception {
        assertThat(WireJson.read(" \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u0041\" "))
                .isEqualTo("\"\\/\b\f\n\r\téA");
        assertThat(WireJson.read("[0,-7,12,1.5,-2e3,1E+2,99999999999999999999,true,false,null]"))
                .isEqualTo(java.util.Arrays.asList(0L, -7L, 12L, 1.5, -2000.0, 100.0, 1.0E20, true, false, null));
        assertThat(WireJson.read("{ \"a\" : [ ] , \"b\" : { } }")).isEqualTo(Map.of("a", List.of(), "b", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            truncated unicode   | `"\\u12`               | truncated \\u escape at offset 3
            bad unicode         | `"\\uzzzz"`            | bad \\u escape at offset 3
            raw control char    | `"a	b"`                 | control character in a string at offset 3
            missing colon       | {"a" 1}                  | expected ':' at offset 5
            bad separator       | {"a":1;"b":2}            | expected ',' or '}' at offset 7
            bad list separator  | [1;2]                    | expected ',' or ']' at offset 3
            bad exponent        | [1e]                     | bad number '1e' at offset 3
            minus only          | [-]                      | bad number '-' at offset 2
            unterminated list   | [1,                      | unexpected end of input at offset 3
            """)
    void read_whenStringsNumbersOrSeparatorsAreMalformed_saysWhatAndWhere(String what, String json, String message) {
        assertThatThrownBy(() -> WireJson.read(json))
                .isInstanceOf(WireJson.Malformed.class)
                .hasMessage(message);
    }

    @Test
    void read_whenNestedTooDeep_refusesWithoutOverflowingTheStack() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        assertThatThrownBy(() -> WireJson.read(deep))
                .isInstanceOf(WireJson.Malformed.class)
                .hasMessage("nested deeper than 32 levels at offset 32");
    }

    @Test
    void frames_roundTripAndRefuseOversizedOrTruncatedFrames() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.write(out, "{\"ok\":true}");
        Frames.write(out, "x".repeat(100));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());

        assertThat(Frames.read(in, 64)).isEqualTo("{\"ok\":true}");
        assertThatThrownBy(() -> Frames.read(in, 64))
                .isInstanceOf(Frames.TooLarge.class)
                .hasMessage("a frame of 100 bytes exceeds the limit of 64");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 9, 'a'}), 64))
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended inside a frame (1 of 9 bytes)");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[] {(byte) 0xff, 0, 0, 0}), 64))
                .isInstanceOf(Frames.TooLarge.class)
                .hasMessage("a frame of 4278190080 bytes exceeds the limit of 64");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[0]), 64))
                .isInstanceOf(EOFException.class)
                .hasMessage("end of stream");
    }

    @Test
    void requestCodec_roundTripsARequestIncludingAMissingRating() throws Exception {
        FitnessRequest request = SandboxFixtures.request("support", 3);

        FitnessRequest decoded =
                RequestCodec.decode((Map<?, ?>) WireJson.read(WireJson.write(RequestCodec.encode(request))));

        assertThat(decoded.personality()).isEqualTo("support");
        assertThat(decoded.traits()).isEqualTo(request.traits());
        assertThat(decoded.candidates()).hasSize(3);
        assertThat(decoded.candidate(1)).containsExactly(request.candidate(1));
        assertThat(decoded.seed()).isEqualTo(42);
        assertThat(decoded.evidence()).hasSize(3);
        assertThat(decoded.evidence().get(0).critiques()).containsEntry("verbosity", -1);
        assertThat(decoded.evidence().get(0).replyLength()).isEqualTo(1200);
        assertThat(decoded.evidence().get(2).rated()).isFalse();
    }
}
