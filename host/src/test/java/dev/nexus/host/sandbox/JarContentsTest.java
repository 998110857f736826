package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Admission reads a jar's entries itself: names that are not plain relative paths are refused. */
class JarContentsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"../evil.class", "a/../../evil.class", "/abs.class", "a\\b.class", "a//b.class", "./a.class"})
    void read_anEntryWhoseNameIsNotAPlainRelativePath_isRefusedNamingIt(String name) throws IOException {
        byte[] jar = jar("ok/A.class", name);

        assertThatThrownBy(() -> JarContents.read(jar))
                .isInstanceOf(JarContents.Unreadable.class)
                .hasMessageContaining("is not a plain relative path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b.class", "META-INF/MANIFEST.MF", "a..b/c.class"})
    void read_plainRelativeNames_areRead(String name) throws Exception {
        assertThat(JarContents.read(jar(name)).entries()).containsOnlyKeys(name);
    }

    private static byte[] jar(String... names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(name.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
