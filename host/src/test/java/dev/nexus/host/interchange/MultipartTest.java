package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import org.junit.jupiter.api.Test;

class MultipartTest {

    private static final String TYPE = "multipart/form-data; boundary=\"b0undary\"";

    @Test
    void file_withoutAPartNamedFile_takesTheFirstPartWithAFileName() {
        byte[] body = Fixtures.utf8(
                "--b0undary\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nnot it\r\n"
                        + "--b0undary\r\nContent-Disposition: form-data; name=\"card\"; filename=\"a.json\"\r\n\r\n{}\r\n--b0undary--\r\n");

        Multipart.Part part = Multipart.file(body, TYPE);

        assertThat(part.fileName()).contains("a.json");
        assertThat(new String(part.content(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{}");
    }

    @Test
    void file_truncatedBody_isRefused() {
        byte[] body = Fixtures.utf8("--b0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{\"name\":");

        assertThatThrownBy(() -> Multipart.file(body, TYPE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("truncated or malformed");
    }

    @Test
    void file_withoutBoundary_isRefused() {
        assertThatThrownBy(() -> Multipart.file(new byte[10], "multipart/form-data"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no boundary");
    }

    @Test
    void file_withNoParts_isRefused() {
        assertThatThrownBy(() -> Multipart.file(Fixtures.utf8("--b0undary--\r\n"), TYPE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds no file");
    }
}
