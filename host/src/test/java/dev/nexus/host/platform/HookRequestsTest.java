package dev.nexus.host.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.platform.HttpInbound;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connectors get bodies parsed by the host's strict JSON reader; these are the cases the webhook used to parse itself. */
class HookRequestsTest {

    private static HttpInbound post(String body) {
        return HookRequests.of("POST", "/", Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void json_ofAnObject_readsNestedValuesAndEscapes() {
        Map<String, Object> map =
                post(" {\"a\":\"x\\u00e9\\\"\\n\",\"n\":-1.5e1,\"i\":12,\"b\":false,\"z\":null,\"l\":[{},[]]} ")
                        .json();

        assertThat(map)
                .containsEntry("a", "xé\"\n")
                .containsEntry("n", -15.0)
                .containsEntry("i", 12)
                .containsEntry("b", false)
                .containsEntry("z", null)
                .containsEntry("l", List.of(Map.of(), List.of()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "{",
                "{}}",
                "{\"a\"}",
                "{\"a\":}",
                "{\"a\":1,}",
                "{,}",
                "{'a':1}",
                "{\"a\":+1}",
                "{\"a\":1.}",
                "{\"a\":.5}",
                "{\"a\":01}",
                "{\"a\":\"\\q\"}",
                "{\"a\":\"\\u12\"}",
                "{\"a\":nul}",
                "{\"a\":[1 2]}",
                "{\"a\":\"line\nbreak\"}",
                "[]",
                "\"text\"",
                "{\"a\":1}/*c*/",
                "{\"a\":\"\\u0000\"}"
            })
    void json_ofAnythingButOneValidObject_refusesWithTheReason(String body) {
        HttpInbound request = post(body);

        assertThat(request.jsonProblem()).isNotBlank();
        assertThatThrownBy(request::json)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(request.jsonProblem());
    }

    @Test
    void json_withADuplicateKey_namesTheKey() {
        assertThat(post("{\"a\":1,\"a\":1}").jsonProblem()).isEqualTo("duplicate field 'a': send each field once");
    }

    @Test
    void json_ofInvalidUtf8_saysSo() {
        HttpInbound request =
                HookRequests.of("POST", "/", Map.of(), new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});

        assertThat(request.jsonProblem()).isEqualTo("the body is not valid UTF-8; send UTF-8 JSON");
    }

    @Test
    void json_ofARequestBuiltByHand_saysTheHostDidNotParseIt() {
        HttpInbound request = new HttpInbound("POST", "/", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(request::json).hasMessage(HttpInbound.NOT_PARSED);
    }
}
