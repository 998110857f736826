package dev.nexus.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.ChildHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGTERM while 50 streaming turns run: each turn either completes (its stream ends with
 * {@code done}) or is refused cleanly (503, or no connection: nothing was acknowledged), none is cut
 * off half-way, the process exits with status 0 and no crash report, and the database holds nothing
 * half-stored: every stored user message has its reply or is marked failed, checked in the database
 * itself before any restart could tidy it up.
 */
@ParameterizedClass
@MethodSource(dev.nexus.host.testing.TestHost.DATABASES)
class GracefulShutdownTest {

    private static final int CLIENTS = 10;
    private static final int TURNS_PER_CLIENT = 5;
    /** Completed turns before SIGTERM: the rest are in flight or not yet sent. */
    private static final int COMPLETED_BEFORE_STOP = 12;

    private static final Pattern USER_MESSAGE = Pattern.compile("\"userMessage\":\\{[^}]*\"id\":\"([^\"]+)\"");

    @Parameter
    Database.Kind kind;

    private enum Outcome {
        COMPLETED,
        REFUSED,
        CUT
    }

    @Test
    void sigtermDuringStreamingTurns_completesOrRefusesEachAndStoresNothingHalf() throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start()) {
            // A reply streams in four pieces over ~0.3 s, so SIGTERM finds turns in flight.
            model.defaultScript(new FakeOpenAiServer.Reply(
                    List.of("Calm ", "is ", "a ", "practice."), "stop", Duration.ofMillis(100)));
            ChildHost.Config config = ChildHost.Config.fresh(
                    kind,
                    Map.of(
                            "NEXUS_LLM_BASE_URL",
                            model.baseUrl(),
                            "NEXUS_LLM_API_KEY",
                            "local",
                            "NEXUS_LLM_MODEL",
                            "llama3.2",
                            "NEXUS_LIMITS_ENABLED",
                            "false",
                            "NEXUS_CHAT_ABANDONED_AFTER_SECONDS",
                            "0"));
            try {
                Path persona = config.dataDir().resolve("personalities").resolve("zen-engineer");
                Files.createDirectories(persona);
                Files.copy(
                        Path.of("..", "personalities", "zen-engineer", "persona.yaml"),
                        persona.resolve("persona.yaml"));
                ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<String> completed = new ConcurrentLinkedQueue<>();
                AtomicInteger done = new AtomicInteger();
                try (ChildHost child = ChildHost.start(config)) {
                    TestHttp http = child.http();
                    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int c = 0; c < CLIENTS; c++) {
                            int client = c;
                            clients.execute(() -> {
                                for (int turn = 0; turn < TURNS_PER_CLIENT; turn++) {
                                    Outcome outcome = streamTurn(http, client, turn, completed);
                                    outcomes.add(outcome);
                                    if (outcome == Outcome.COMPLETED) {
                                        done.incrementAndGet();
                                    }
                                }
                            });
                        }
                        while (done.get() < COMPLETED_BEFORE_STOP && outcomes.size() < CLIENTS * TURNS_PER_CLIENT) {
                            Thread.sleep(5);
                        }
                        child.terminate();
                        int status = child.awaitExit();
                        assertThat(status)
                                .as("exit status after SIGTERM; output:%n%s", child.output())
                                .isZero();
                    }
                    assertThat(child.output()).contains("nexus: stopped");
                }
                try (Stream<Path> files = Files.list(config.dataDir())) {
                    assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("hs_err")))
                            .isEmpty();
                }
                long cut = outcomes.stream().filter(o -> o == Outcome.CUT).count();
                System.out.printf(
                        "[graceful shutdown %s] %d turns: %d completed, %d refused, %d cut off%n",
                        kind,
                        outcomes.size(),
                        completed.size(),
                        outcomes.stream().filter(o -> o == Outcome.REFUSED).count(),
                        cut);
                assertThat(outcomes).hasSize(CLIENTS * TURNS_PER_CLIENT);
                assertThat(cut).as("turns whose stream ended without 'done'").isZero();
                assertThat(completed).hasSizeGreaterThanOrEqualTo(COMPLETED_BEFORE_STOP);

                try (Database database = config.openDatabase()) {
                    List<String> half = database.jdbi()
                            .withHandle(
                                    h -> h.createQuery("""
                            SELECT u.id || ' ' || u.state FROM messages u
                            WHERE u.role = 'user' AND (u.state NOT IN ('answered', 'failed')
                               OR (u.state = 'answered' AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.in_reply_to = u.id)))""").mapTo(String.class).list());
                    assertThat(half)
                            .as("user messages neither answered (with a reply) nor failed")
                            .isEmpty();
                    List<String> answered = database.jdbi()
                            .withHandle(
                                    h -> h.createQuery("""
                            SELECT u.id FROM messages u WHERE u.role = 'user' AND u.state = 'answered'
                              AND EXISTS (SELECT 1 FROM messages r WHERE r.in_reply_to = u.id)""").mapTo(String.class).list());
                    assertThat(answered)
                            .as("every completed stream's turn is stored with its reply")
                            .containsAll(new ArrayList<>(completed));
                }
            } finally {
                config.delete();
            }
        }
    }

    /** One streamed turn in a new conversation; what the client saw of it. */
    private static Outcome streamTurn(TestHttp http, int client, int turn, ConcurrentLinkedQueue<String> completed) {
        String body = "{\"personality\":\"zen-engineer\",\"user\":\"client-" + client + "\",\"message\":\"turn " + turn
                + ": how do I keep calm?\"}";
        HttpResponse<InputStream> response;
        try {
            response = http.sendStream(http.request("/v1/chat/stream")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        } catch (UncheckedIOException | IllegalStateException noAnswer) {
            return Outcome.REFUSED; // no response at all: the server had stopped listening
        }
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return response.statusCode() == 200 ? Outcome.CUT : Outcome.REFUSED;
        }
        if (response.statusCode() == 503) {
            return Outcome.REFUSED;
        }
        if (response.statusCode() == 200 && text.contains("event: done")) {
            Matcher matcher = USER_MESSAGE.matcher(text.substring(text.indexOf("event: done")));
            if (matcher.find()) {
                completed.add(matcher.group(1));
            }
            return Outcome.COMPLETED;
        }
        System.out.printf("[graceful shutdown] turn cut off: %d %s%n", response.statusCode(), text);
        return Outcome.CUT;
    }
}
