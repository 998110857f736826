package dev.nexus.host.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.PluginJar;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The credential vault through the real server, on H2 and PostgreSQL, with a real plugin jar whose tool
 * reports the SHA-256 of the secret it reads through its {@code PluginContext} (never the secret): set,
 * list without values, use by the plugin, environment override, delete, audit, a wrong master key at
 * start-up, and rotation (from the environment at start, and through the API for a key file).
 */
@SuppressWarnings("unchecked")
@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class VaultHttpTest {

    private static final String KEY_A = Base64.getEncoder().encodeToString(bytes(1));
    private static final String KEY_B = Base64.getEncoder().encodeToString(bytes(2));
    private static final String TOKEN = "tg-5501:AAH-very-secret-token-value";

    @Parameter
    Database.Kind database;

    @TempDir
    Path dir;

    static Path plugins;

    @BeforeParameterizedClassInvocation
    static void buildPlugin() throws IOException {
        if (plugins != null) {
            return;
        }
        plugins = Files.createTempDirectory("nexus-vault-plugins-");
        plugins.toFile().deleteOnExit();
        PluginJar.builder("keeper")
                .source("keeper.Digest", """
                package keeper;
                import dev.nexus.api.PluginContext;
                import dev.nexus.api.tool.*;
                @org.pf4j.Extension
                public class Digest implements Tool {
                    private PluginContext context;
                    public void start(PluginContext context) { this.context = context; }
                    public ToolSpec spec() {
                        return new ToolSpec("secret_digest", "the SHA-256 of one of this plugin's secrets",
                                "{\\"type\\":\\"object\\",\\"properties\\":{\\"name\\":{\\"type\\":\\"string\\"}}}", RiskLevel.LOW);
                    }
                    public ToolResult invoke(ToolCall call) {
                        String name = call.string("name").orElse("api-token");
                        return new ToolResult.Success(context.secret(name).map(Digest::sha256).orElse("absent"), "text/plain");
                    }
                    static String sha256(String value) {
                        try {
                            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                        } catch (java.security.NoSuchAlgorithmException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                """)
                .extension("keeper.Digest")
                .build(plugins);
    }

    private TestHost.Builder host(Path data) {
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TestHost.builder().database(database).dataDir(data).env("NEXUS_PLUGINS_DIRECTORY", plugins.toString());
    }

    @Test
    void aSecretSetThroughTheApi_isUsedByThePlugin_andUnreadableInTheDatabase() throws Exception {
        Path data = dir.resolve("data");
        try (TestHost host =
                host(data).env("NEXUS_SECRET_KEEPER_REGION", "eu-north").start()) {
            TestHttp admin = host.http();
            assertThat(digest(admin, "api-token")).isEqualTo("absent");

            HttpResponse<String> put = admin.put("/v1/secrets/keeper/api-token", "{\"value\":\"" + TOKEN + "\"}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(put.body()).doesNotContain(TOKEN);
            assertThat(TestHttp.json(put))
                    .containsEntry("plugin", "keeper")
                    .containsEntry("name", "api-token")
                    .containsEntry("overriddenByEnvironment", false);

            // Read at the plugin's next call, under any spelling of the name.
            assertThat(digest(admin, "api-token")).isEqualTo(sha256(TOKEN));
            assertThat(digest(admin, "API_TOKEN")).isEqualTo(sha256(TOKEN));

            // The environment still wins, and the listing says so.
            expect(admin.put("/v1/secrets/keeper/region", "{\"value\":\"us-east\"}"), 200);
            assertThat(digest(admin, "region")).isEqualTo(sha256("eu-north"));
            HttpResponse<String> list = expect(admin.get("/v1/secrets?plugin=keeper"), 200);
            assertThat(list.body()).doesNotContain(TOKEN).doesNotContain("us-east");
            assertThat((List<Map<String, Object>>) TestHttp.json(list).get("secrets"))
                    .extracting(s -> s.get("name") + ":" + s.get("overriddenByEnvironment"))
                    .containsExactly("api-token:false", "region:true");

            assertThat(rowsOfEveryTable(host))
                    .isNotEmpty()
                    .noneMatch(row -> row.contains(TOKEN) || row.contains("us-east"));
        }
        if (database == Database.Kind.H2) {
            try (Stream<Path> files = Files.walk(data.resolve("db"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(content)
                            .as(file.toString())
                            .doesNotContain(TOKEN)
                            .doesNotContain("us-east");
                }
            }
        }
    }

    @Test
    void secretChanges_areAudited_withoutTheirValues_andDeleteLeavesThePluginWithout() {
        try (TestHost host = host(dir.resolve("data")).start()) {
            TestHttp admin = host.http();
            expect(admin.put("/v1/secrets/keeper/api-token", "{\"value\":\"" + TOKEN + "\"}"), 200);
            expect(admin.put("/v1/secrets/keeper/api-token", "{\"value\":\"" + TOKEN + "-2\"}"), 200);
            assertThat(digest(admin, "api-token")).isEqualTo(sha256(TOKEN + "-2"));

            expect(admin.delete("/v1/secrets/keeper/api-token"), 204);
            assertThat(digest(admin, "api-token")).isEqualTo("absent");
            HttpResponse<String> gone = expect(admin.get("/v1/secrets/keeper/api-token"), 404);
            assertThat(gone.body()).contains("PUT /v1/secrets/keeper/api-token");
            expect(admin.delete("/v1/secrets/keeper/api-token"), 404);

            HttpResponse<String> audit = expect(admin.get("/v1/audit?target=/v1/secrets/keeper/api-token"), 200);
            assertThat(audit.body()).doesNotContain(TOKEN);
            assertThat((List<Map<String, Object>>) TestHttp.json(audit).get("entries"))
                    .extracting(e -> e.get("action"))
                    .containsExactly(
                            "DELETE /v1/secrets/{plugin}/{name}",
                            "PUT /v1/secrets/{plugin}/{name}",
                            "PUT /v1/secrets/{plugin}/{name}");
        }
    }

    @Test
    void badInput_isRefusedNamingTheField_andStoresNothing() {
        try (TestHost host = host(dir.resolve("data")).start()) {
            TestHttp admin = host.http();
            assertThat(expect(admin.put("/v1/secrets/keeper/bad%20name", "{\"value\":\"x\"}"), 400)
                            .body())
                    .contains("secret name");
            assertThat(expect(admin.put("/v1/secrets/keeper/token", "{\"value\":\"   \"}"), 400)
                            .body())
                    .contains("'value' is blank");
            assertThat(expect(
                                    admin.put(
                                            "/v1/secrets/keeper/token",
                                            "{\"value\":\"" + "x".repeat(Vault.MAX_VALUE_BYTES + 1) + "\"}"),
                                    400)
                            .body())
                    .contains("at most 16384 bytes");
            assertThat(expect(admin.put("/v1/secrets/keeper/token", "{}"), 400).body())
                    .contains("'value' is required");
            assertThat((List<?>)
                            TestHttp.json(expect(admin.get("/v1/secrets"), 200)).get("secrets"))
                    .isEmpty();
        }
    }

    @Test
    void aWrongMasterKey_stopsTheStart_namingTheFix_andTheOldKeyAsPrevious_reEncryptsEverything() {
        Path data = dir.resolve("data");
        try (TestHost host = host(data).env("NEXUS_VAULT_KEY", KEY_A).start()) {
            expect(host.http().put("/v1/secrets/keeper/api-token", "{\"value\":\"" + TOKEN + "\"}"), 200);
            assertThat(Files.exists(data.resolve("vault.key")))
                    .as("no key file when the key comes from the environment")
                    .isFalse();
        }

        assertThatThrownBy(
                        () -> host(data).env("NEXUS_VAULT_KEY", KEY_B).start().close())
                .isInstanceOf(VaultKeyException.class)
                .hasMessageContaining("is not the key the vault was sealed with")
                .hasMessageContaining("1 secret(s)")
                .hasMessageContaining("NEXUS_VAULT_PREVIOUS_KEY")
                .hasMessageContaining("No secret was decrypted")
                .hasMessageNotContaining(KEY_A)
                .hasMessageNotContaining(KEY_B);

        try (TestHost host = host(data)
                .env("NEXUS_VAULT_KEY", KEY_B)
                .env("NEXUS_VAULT_PREVIOUS_KEY", KEY_A)
                .start()) {
            TestHttp admin = host.http();
            assertThat(digest(admin, "api-token")).isEqualTo(sha256(TOKEN));
            Map<String, Object> listed = TestHttp.json(expect(admin.get("/v1/secrets"), 200));
            assertThat(listed.get("keyId")).isEqualTo(SecretCipher.keyId(bytes(2)));
            assertThat((List<Map<String, Object>>) listed.get("secrets"))
                    .extracting(s -> s.get("keyId"))
                    .containsExactly(SecretCipher.keyId(bytes(2)));
            HttpResponse<String> rotate = expect(admin.post("/v1/secrets/rotation", ""), 409);
            assertThat(rotate.body()).contains("NEXUS_VAULT_PREVIOUS_KEY").doesNotContain(KEY_B);
        }
        // The old key alone no longer opens anything.
        assertThatThrownBy(
                        () -> host(data).env("NEXUS_VAULT_KEY", KEY_A).start().close())
                .isInstanceOf(VaultKeyException.class);
    }

    @Test
    void aKeyFile_isCreatedOwnerOnly_rotatesThroughTheApi_andALostKeyFileStopsTheStart() throws IOException {
        Path data = dir.resolve("data");
        Path keyFile = data.resolve("vault.key");
        String firstKey;
        try (TestHost host = host(data).start()) {
            firstKey = Files.readString(keyFile);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                    .isEqualTo("rw-------");
            TestHttp admin = host.http();
            expect(admin.put("/v1/secrets/keeper/api-token", "{\"value\":\"" + TOKEN + "\"}"), 200);
            expect(admin.put("/v1/secrets/other/token", "{\"value\":\"other-plugin-secret\"}"), 200);

            Map<String, Object> rotation = TestHttp.json(expect(admin.post("/v1/secrets/rotation", ""), 200));
            assertThat(rotation)
                    .containsEntry("secrets", 2)
                    .containsEntry("previousKeyId", SecretCipher.keyId(MasterKey.parse(firstKey, "test")));
            assertThat(Files.readString(keyFile)).isNotEqualTo(firstKey);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                    .isEqualTo("rw-------");
            assertThat(digest(admin, "api-token")).isEqualTo(sha256(TOKEN));
            // A plugin reads its own secrets only: keeper has no 'token', whatever 'other' holds.
            assertThat(digest(admin, "token")).isEqualTo("absent");
        }
        try (TestHost host = host(data).start()) {
            assertThat(digest(host.http(), "api-token")).isEqualTo(sha256(TOKEN));
        }
        Files.delete(keyFile);
        assertThatThrownBy(() -> host(data).start().close())
                .isInstanceOf(VaultKeyException.class)
                .hasMessageContaining("created by this start");
    }

    private static String digest(TestHttp admin, String name) {
        HttpResponse<String> response = expect(
                admin.post("/v1/tools/secret_digest/invoke", "{\"arguments\":{\"name\":\"" + name + "\"}}"), 200);
        Map<String, Object> body = TestHttp.json(response);
        assertThat(body).as(response.body()).containsEntry("outcome", "done");
        return (String) body.get("content");
    }

    /** Every row of every table of the host's database, as text (what someone reading the database sees). */
    private static List<String> rowsOfEveryTable(TestHost host) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(host.jdbcUrl())) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema != null && schema.equalsIgnoreCase("public")) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            for (String table : tables) {
                try (var statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            row.append(
                                            value instanceof byte[] b
                                                    ? new String(b, StandardCharsets.UTF_8)
                                                    : String.valueOf(value))
                                    .append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i * 7);
        }
        return key;
    }

    static {
        try {
            Class.forName("org.h2.Driver");
        } catch (ClassNotFoundException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
