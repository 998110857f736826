package dev.nexus.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nexus.host.db.Database;
import dev.nexus.host.llm.FakeOpenAiServer;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plugin author's first hour, end to end (issue 18): {@code ./nexus new-plugin} writes a standalone
 * project of every kind into an empty directory; one Maven run (the generated wrapper, a child process)
 * builds and tests all five with an <b>empty local repository</b>; the jars load into a real host, which
 * answers through each of them (the tool invoked over HTTP without a model, a signed message through
 * the connector to the generated personality, the pack and the personality read back, a chat turn
 * whose text the filter redacts before a local fake model sees it).
 *
 * <p>Where artifacts come from: the Nexus ones ({@code nexus-parent}, {@code nexus-plugin-api} with its
 * test-jar, {@code nexus-bom}) are laid into the empty repository from this build's own output, the
 * same files {@code ./nexus install-sdk} installs. Everything else comes from a <b>loopback Maven
 * repository</b> standing in for Maven Central: it serves this machine's own local repository over
 * HTTP on 127.0.0.1 and answers 404 for {@code dev/nexus/**}, so a Nexus artifact the SDK does not
 * install (or a pom that names one) fails the build here as it would on a clean machine. No network
 * beyond loopback. Runs in {@code ./nexus test} (failsafe, host's verify phase, after plugin-api is
 * packaged). The projects are generated and built once; the host runs on H2 and on PostgreSQL (the
 * connector's message is stored).
 */
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class PluginTemplateIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String SECRET = "chatline-shared-secret-0123456789";
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(10);

    /** kind -> plugin id, one generated project each. */
    private static final Map<String, String> PLUGINS = new LinkedHashMap<>();

    static {
        PLUGINS.put("tool", "greeter");
        PLUGINS.put("platform", "chatline");
        PLUGINS.put("knowledge", "lighthouses");
        PLUGINS.put("personality", "keeper");
        PLUGINS.put("turn-filter", "redactor");
    }

    @TempDir
    static Path dir;

    static Path plugins;
    static FakeOpenAiServer model;
    static TestHost host;

    @Parameter
    Database.Kind database;

    @BeforeAll
    static void generateAndBuild() throws Exception {
        Path projects = Files.createDirectories(dir.resolve("projects"));
        for (Map.Entry<String, String> plugin : PLUGINS.entrySet()) {
            List<String> command = new ArrayList<>(List.of(
                    "bash",
                    ROOT.resolve("nexus").toString(),
                    "new-plugin",
                    plugin.getKey(),
                    plugin.getValue(),
                    projects.resolve(plugin.getKey()).toString()));
            if (plugin.getKey().equals("tool")) {
                command.addAll(List.of("--package", "org.acme.greeter"));
            }
            run(command, ROOT, dir.resolve("new-plugin-" + plugin.getKey() + ".log"), Duration.ofMinutes(1));
        }
        Path repository = seedRepository(dir.resolve("repository"));
        HttpServer central = loopbackCentral(
                Path.of(System.getProperty("nexus.test.m2")).toAbsolutePath().normalize());
        try {
            build(projects, repository, central.getAddress().getPort());
        } finally {
            central.stop(0);
        }
        plugins = Files.createDirectories(dir.resolve("plugins"));
        for (Map.Entry<String, String> plugin : PLUGINS.entrySet()) {
            String jar = "nexus-plugin-" + plugin.getValue() + "-0.1.0.jar";
            Files.copy(projects.resolve(plugin.getKey()).resolve("target").resolve(jar), plugins.resolve(jar));
        }
        // A local OpenAI-compatible fake records what the model is sent, to see the turn filter work.
        model = FakeOpenAiServer.start().defaultReply("Evening. Mind the steps.");
    }

    @AfterAll
    static void stopModel() {
        if (model != null) {
            model.close();
        }
    }

    /** One Maven run through the generated wrapper, for all five projects, against {@code repository}. */
    private static void build(Path projects, Path repository, int centralPort) throws Exception {
        Path settings = Files.writeString(dir.resolve("settings.xml"), """
                <settings><mirrors><mirror>
                  <id>loopback-central</id><mirrorOf>*</mirrorOf><url>http://127.0.0.1:%d/</url>
                </mirror></mirrors></settings>
                """.formatted(centralPort));
        // One Maven run for all five projects (one JVM start instead of five); each is still built
        // exactly as its own ./mvnw verify would build it.
        Files.writeString(projects.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                  <groupId>test</groupId><artifactId>all-kinds</artifactId><version>1</version><packaging>pom</packaging>
                  <modules>%s</modules>
                </project>
                """.formatted(PLUGINS.keySet().stream()
                .map(kind -> "<module>" + kind + "</module>")
                .reduce("", String::concat)));
        run(
                List.of(
                        projects.resolve("tool").resolve("mvnw").toString(),
                        "-B",
                        "-q",
                        "-Dstyle.color=never",
                        "-s",
                        settings.toString(),
                        "-gs",
                        settings.toString(),
                        "-Dmaven.repo.local=" + repository,
                        "verify"),
                projects,
                dir.resolve("maven.log"),
                BUILD_LIMIT);
    }

    @BeforeParameterizedClassInvocation
    static void start(Database.Kind database) {
        host = TestHost.builder()
                .database(database)
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .env("NEXUS_SECRET_CHATLINE_TOKEN", SECRET)
                .env("NEXUS_LLM_BASE_URL", model.baseUrl())
                .env("NEXUS_LLM_API_KEY", "local")
                .env("NEXUS_LLM_MODEL", "llama3.2")
                // The connector's messages go to the generated personality: the kinds work together.
                .yaml("plugins: {config: {greeter: {greeting: Howdy}, chatline: {personality: keeper},"
                        + " redactor: {words: [password]}}}")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stopHost() {
        if (host != null) {
            host.close();
            host = null;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyGeneratedPlugin_isStartedWithItsKind() {
        List<Map<String, Object>> rows = (List<Map<String, Object>>)
                TestHttp.json(host.http().get("/v1/plugins")).get("plugins");

        assertThat(rows)
                .extracting(row -> row.get("id") + ":" + row.get("state") + ":" + row.get("kinds"))
                .containsExactlyInAnyOrder(
                        "greeter:started:[tool]",
                        "chatline:started:[platform]",
                        "lighthouses:started:[knowledge]",
                        "keeper:started:[personality]",
                        "redactor:started:[turn-filter]");
    }

    @Test
    void tool_invokedWithoutAModel_answersWithTheConfiguredGreeting() {
        HttpResponse<String> response =
                host.http().post("/v1/tools/greeter/invoke", "{\"arguments\":{\"name\":\"Ada\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestHttp.json(response)).containsEntry("outcome", "done").containsEntry("content", "Howdy, Ada!");
    }

    @Test
    void platform_storesASignedMessageOnce_andRefusesAnUnsignedOne() throws GeneralSecurityException {
        byte[] body = "Hello from the template".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));

        HttpResponse<String> first = hook(signature, body);
        HttpResponse<String> again = hook(signature, body);
        HttpResponse<String> unsigned = hook("sha256=00", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(TestHttp.json(again))
                .containsEntry("id", TestHttp.json(first).get("id"))
                .containsEntry("duplicate", true);
        assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(401);
    }

    @Test
    void knowledgePack_isOffered() {
        HttpResponse<String> response = host.http().get("/v1/knowledge/packs/lighthouses");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("Lighthouses");
    }

    @Test
    void personality_isOffered() {
        HttpResponse<String> response = host.http().get("/v1/personalities/keeper");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("Keeper");
    }

    @Test
    void turnFilter_removesTheConfiguredWordBeforeTheModelSeesIt() {
        HttpResponse<String> response = host.http()
                .post(
                        "/v1/chat",
                        "{\"personality\":\"keeper\",\"user\":\"ada\",\"message\":\"my password is hunter2\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> sent = model.requests().stream()
                .flatMap(request -> request.messages().stream())
                .filter(message -> "user".equals(message.get("role")))
                .map(message -> String.valueOf(message.get("content")))
                .filter(content -> content.contains("hunter2"))
                .toList();
        assertThat(sent)
                .isNotEmpty()
                .allSatisfy(content ->
                        assertThat(content).contains("my [removed] is hunter2").doesNotContainIgnoringCase("password"));
    }

    @Test
    void newPlugin_refusesABadIdAndANonEmptyDirectory_namingTheFix() throws Exception {
        Path badIdLog = dir.resolve("bad-id-" + database + ".log");
        Path occupiedLog = dir.resolve("occupied-" + database + ".log");

        int badId = exitCode(
                List.of(
                        "bash",
                        ROOT.resolve("nexus").toString(),
                        "new-plugin",
                        "tool",
                        "Weather_2",
                        dir.resolve("unused").toString()),
                ROOT,
                badIdLog,
                Duration.ofMinutes(1));
        int occupied = exitCode(
                List.of(
                        "bash",
                        ROOT.resolve("nexus").toString(),
                        "new-plugin",
                        "tool",
                        "weather",
                        dir.resolve("projects").resolve("tool").toString()),
                ROOT,
                occupiedLog,
                Duration.ofMinutes(1));

        assertThat(badId).isNotZero();
        assertThat(Files.readString(badIdLog)).contains("lower-case letters, digits and single dashes");
        assertThat(dir.resolve("unused")).doesNotExist();
        assertThat(occupied).isNotZero();
        assertThat(Files.readString(occupiedLog)).contains("is not empty; choose another directory");
    }

    private static HttpResponse<String> hook(String signature, byte[] body) {
        return host.http()
                .send(HttpRequest.newBuilder(host.baseUrl().resolve("/hooks/chatline"))
                        .header("X-Signature", signature)
                        .header("X-Message-Id", "m-1")
                        .header("X-User", "ada")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /**
     * Lays the SDK's artifacts out as {@code ./nexus install-sdk} installs them (parent pom, plugin API
     * jar, pom and contract test-jar, BOM), from this build's output, into an otherwise empty repository.
     */
    private static Path seedRepository(Path repository) throws IOException {
        String build = System.getProperty("nexus.build.version");
        String api = System.getProperty("nexus.api.version");
        Path target = ROOT.resolve("plugin-api").resolve("target");
        install(ROOT.resolve("pom.xml"), repository, "nexus-parent", build, ".pom");
        install(ROOT.resolve("plugin-api").resolve("pom.xml"), repository, "nexus-plugin-api", api, ".pom");
        install(target.resolve("nexus-plugin-api-" + api + ".jar"), repository, "nexus-plugin-api", api, ".jar");
        install(
                target.resolve("nexus-plugin-api-" + api + "-tests.jar"),
                repository,
                "nexus-plugin-api",
                api,
                "-tests.jar");
        install(ROOT.resolve("nexus-bom").resolve("pom.xml"), repository, "nexus-bom", api, ".pom");
        return repository;
    }

    private static void install(Path file, Path repository, String artifact, String version, String suffix)
            throws IOException {
        assertThat(file)
                .as("built by this build (run ./nexus test, or mvn verify, so plugin-api is packaged)")
                .isRegularFile();
        Path into = Files.createDirectories(
                repository.resolve("dev/nexus").resolve(artifact).resolve(version));
        Files.copy(file, into.resolve(artifact + "-" + version + suffix));
    }

    /** Serves {@code local} read-only over HTTP on loopback, as Maven Central would, minus {@code dev/nexus}. */
    private static HttpServer loopbackCentral(Path local) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, local);
            }
        });
        server.start();
        return server;
    }

    private static void serve(HttpExchange exchange, Path local) throws IOException {
        String path =
                URI.create(exchange.getRequestURI().getRawPath()).normalize().getPath();
        Path file = local.resolve(path.substring(1)).normalize();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        // Never dev/nexus (only the seeded repository has those), never the local repository's own bookkeeping.
        boolean allowed = file.startsWith(local)
                && !local.relativize(file).startsWith(Path.of("dev", "nexus"))
                && !name.startsWith("_")
                && !name.startsWith("maven-metadata-local");
        if (!allowed || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(200, head ? -1 : Files.size(file));
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    /** Runs {@code command} in {@code workDir}, output to {@code log}; fails the test with the log's end. */
    private static void run(List<String> command, Path workDir, Path log, Duration limit) throws Exception {
        assertThat(exitCode(command, workDir, log, limit))
                .as("exit code of %s; output:%n%s", String.join(" ", command), tail(log))
                .isZero();
    }

    /** Runs {@code command} in {@code workDir} with this JVM's JDK, output to {@code log}, and returns its exit code. */
    private static int exitCode(List<String> command, Path workDir, Path log, Duration limit) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        String javaHome = System.getProperty("java.home");
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().put("PATH", Path.of(javaHome, "bin") + File.pathSeparator + System.getenv("PATH"));
        if (Runtime.version().feature() >= 23) {
            builder.environment().put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow");
        }
        Process process = builder.start();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(
                    String.join(" ", command) + " did not finish within " + limit + "; output:\n" + tail(log));
        }
        return process.exitValue();
    }

    private static String tail(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
        }
    }
}
