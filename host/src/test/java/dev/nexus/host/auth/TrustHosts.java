package dev.nexus.host.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.Map;

/** Hosts and keys for the trust-boundary tests, on either database. */
final class TrustHosts {

    private TrustHosts() {}

    /** Starts a host on {@code db}'s backend: its own H2 file, or the PostgreSQL database itself. */
    static TestHost start(TestDatabase db) {
        return start(db, "");
    }

    static TestHost start(TestDatabase db, String yaml) {
        TestHost.Builder builder = TestHost.builder().yaml(yaml);
        if (db.backend().equals("postgresql")) {
            builder.database(db.url());
        }
        return builder.start();
    }

    /** Creates a key from a {@code POST /v1/keys} body and returns its secret. */
    static String key(TestHost host, String body) {
        HttpResponse<String> created = host.http().post("/v1/keys", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> json = TestHttp.json(created);
        return (String) json.get("secret");
    }

    /** Creates a user key bound to {@code user} and returns its secret. */
    static String userKey(TestHost host, String user) {
        return key(host, "{\"name\":\"" + user + "'s key\",\"scopes\":[\"user\"],\"user\":\"" + user + "\"}");
    }
}
