package dev.nexus.host.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up cache option of {@code ./nexus run} (the {@code startup_cache_opts} function of the
 * {@code nexus} script, run by bash against a fake build output): the JVM does not notice a rebuilt
 * jar and would run the classes it cached, so the script must record a new cache whenever a jar of
 * the class path changes, and use an existing one only when nothing did.
 */
class StartupCacheScriptTest {

    /** JDK 25+ gets an AOT cache (recorded, then mapped); JDK 21-24 a CDS archive the JVM writes itself. */
    private static final boolean AOT = Runtime.version().feature() >= 25;

    private static final Path SCRIPT = Path.of("..", "nexus").toAbsolutePath().normalize();

    @TempDir
    Path build;

    @Test
    void firstStart_recordsTheCache_andTheNextStartMapsIt() throws Exception {
        fakeBuildOutput();
        String first = cacheOptions("on");
        assertThat(cacheFile(first))
                .startsWith(
                        "host/target/startup-cache/nexus-" + Runtime.version().feature());
        if (AOT) {
            assertThat(first).contains("-XX:AOTCacheOutput=");
        }

        recordCache(first);
        String second = cacheOptions("on");
        assertThat(cacheFile(second)).isEqualTo(cacheFile(first));
        if (AOT) {
            assertThat(second).contains("-XX:AOTCache=").doesNotContain("AOTCacheOutput");
        }
    }

    @Test
    void aRebuiltJarOfTheSameSize_getsANewCache_andTheStaleOneIsRemoved() throws Exception {
        fakeBuildOutput();
        String first = cacheOptions("on");
        recordCache(first);
        Path jar = build.resolve("host/target/nexus-host.jar");
        Files.writeString(jar, "the host's classes, version 2"); // the same number of bytes as version 1
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(1)));

        String afterRebuild = cacheOptions("on");

        assertThat(cacheFile(afterRebuild)).isNotEqualTo(cacheFile(first));
        if (AOT) {
            assertThat(afterRebuild).contains("-XX:AOTCacheOutput=");
        }
        assertThat(build.resolve(cacheFile(first))).doesNotExist();
    }

    @Test
    void aChangedLibraryJar_getsANewCache() throws Exception {
        fakeBuildOutput();
        String first = cacheOptions("on");
        recordCache(first);
        Files.setLastModifiedTime(
                build.resolve("host/target/lib/dependency-1.0.jar"),
                FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(cacheFile(cacheOptions("on"))).isNotEqualTo(cacheFile(first));
    }

    @Test
    void switchedOff_passesNoOption() throws Exception {
        fakeBuildOutput();
        assertThat(cacheOptions("off")).isBlank();
    }

    private void fakeBuildOutput() throws IOException {
        Files.createDirectories(build.resolve("host/target/lib"));
        Files.writeString(build.resolve("host/target/nexus-host.jar"), "the host's classes, version 1");
        Files.writeString(build.resolve("host/target/lib/dependency-1.0.jar"), "a library");
    }

    /** Writes the file the JVM would write at the end of a recording start. */
    private void recordCache(String options) throws IOException {
        Files.writeString(build.resolve(cacheFile(options)), "cache");
    }

    private static String cacheFile(String options) {
        String path = options.replaceAll(".*-XX:(AOTCache|AOTCacheOutput|SharedArchiveFile)=(\\S+).*", "$2");
        assertThat(path).startsWith("host/target/startup-cache/");
        return path;
    }

    /** Runs the script's function in the fake build directory with this JVM as the JDK. */
    private String cacheOptions(String setting) throws Exception {
        String bash = "source <(sed -n '/^startup_cache_opts()/,/^}/p' \"$NEXUS_SCRIPT\"); startup_cache_opts";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", bash).directory(build.toFile());
        builder.environment().put("NEXUS_SCRIPT", SCRIPT.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("NEXUS_STARTUP_CACHE", setting);
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.trim();
    }
}
