package dev.nexus.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void sign_matchesAnIndependentHmacSha256OfTimestampDotBody() {
        // python3: hmac.new(b'k'*32, b'1735689600.{"id":"a"}', hashlib.sha256).hexdigest()
        assertThat(Signatures.sign(KEY, 1_735_689_600L, BODY))
                .isEqualTo("sha256=aaa25e609fdf6a9ecf9bee6c2738cb84402117dd9bb753ccd0d497b3593cda49");
    }

    @Test
    void verify_acceptsTheRightSignatureAmongSeveralAndUpperCaseHex() {
        String good = Signatures.sign(KEY, 1L, BODY);

        assertThat(Signatures.verify(List.of(KEY), 1L, BODY, good)).isTrue();
        assertThat(Signatures.verify(List.of(KEY), 1L, BODY, "sha256=" + "0".repeat(64) + ", " + good))
                .isTrue();
        assertThat(Signatures.verify(
                        List.of(KEY), 1L, BODY, "sha256=" + good.substring(7).toUpperCase()))
                .isTrue();
    }

    @Test
    void verify_refusesOtherTimestampsBodiesKeysAndShapes() {
        String good = Signatures.sign(KEY, 1L, BODY);

        assertThat(Signatures.verify(List.of(KEY), 2L, BODY, good)).isFalse();
        assertThat(Signatures.verify(List.of(KEY), 1L, "{\"id\":\"b\"}".getBytes(StandardCharsets.UTF_8), good))
                .isFalse();
        assertThat(Signatures.verify(List.of("x".repeat(32).getBytes(StandardCharsets.US_ASCII)), 1L, BODY, good))
                .isFalse();
        assertThat(Signatures.verify(List.of(KEY), 1L, BODY, good.substring(0, good.length() - 2)))
                .isFalse();
        assertThat(Signatures.verify(List.of(KEY), 1L, BODY, good.substring(7))).isFalse();
        assertThat(Signatures.verify(List.of(KEY), 1L, BODY, "")).isFalse();
        assertThat(Signatures.verify(List.of(), 1L, BODY, good)).isFalse();
    }
}
