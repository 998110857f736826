package dev.nexus.host.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.testing.TestHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ./nexus memory list|search|forget|stats} against a running host (port 0), on both databases. */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class MemoryCliTest {

    @Parameter
    Database.Kind kind;

    static TestHost host;

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind kind) {
        host = TestHost.start(kind);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        host.close();
    }

    /** What one command printed, and its exit status. */
    private record Ran(int status, String out, String err) {}

    private static Ran memory(String key, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MemoryCli.run(
                List.of(args),
                host.baseUrl().toString(),
                key,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listSearchForgetStats_workAgainstARunningHost() {
        HttpResponse<String> stored = host.http()
                .post(
                        "/v1/memory/facts",
                        Json.write(Map.of(
                                "user", "cli-ada", "fact", "Ada keeps bees on her roof.", "category", "preference")));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        String id = (String) Json.readMap(stored.body()).get("id");

        Ran list = memory(TestHost.ADMIN_KEY, "list", "--user", "cli-ada");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains(id + "\t").contains("Ada keeps bees on her roof.");

        Ran search = memory(TestHost.ADMIN_KEY, "search", "--user", "cli-ada", "bees", "roof");
        assertThat(search.status()).as(search.err()).isZero();
        assertThat(search.out()).contains(id).contains("bees");

        Ran stats = memory(TestHost.ADMIN_KEY, "stats");
        assertThat(stats.status()).isZero();
        assertThat(stats.out()).contains("indexedVectors: ").contains("embeddingModel: ");

        Ran forget = memory(TestHost.ADMIN_KEY, "forget", id);
        assertThat(forget.status()).as(forget.err()).isZero();
        assertThat(memory(TestHost.ADMIN_KEY, "list", "--user", "cli-ada").out())
                .doesNotContain(id);
    }

    @Test
    void refusals_exitNonZeroWithTheReason() {
        Ran wrongKey = memory("not-a-key-of-this-host", "stats");
        assertThat(wrongKey.status()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("HTTP 401");

        Ran unknown = memory(TestHost.ADMIN_KEY, "remember");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'remember'").contains("usage: ./nexus memory");

        Ran noUser = memory(TestHost.ADMIN_KEY, "list");
        assertThat(noUser.status()).isEqualTo(1);
        assertThat(noUser.err()).contains("HTTP 400").contains("--user U");

        Ran noWords = memory(TestHost.ADMIN_KEY, "search", "--user", "cli-ada");
        assertThat(noWords.status()).isEqualTo(2);
    }
}
