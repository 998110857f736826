package dev.nexus.host.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's static routes on a real host: what they serve, with which headers, and nothing else.
 * H2 only: static files, nothing stored (docs/testing.md, "Both databases").
 */
class ConsoleRoutesTest {

    static TestHost host;

    @BeforeAll
    static void start() {
        host = TestHost.start();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void root_redirectsToTheConsole_withoutAKey() throws Exception {
        HttpResponse<String> root = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(host.baseUrl().resolve("/")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).contains("/console");
    }

    @Test
    void page_andItsFiles_carryAStrictContentSecurityPolicy() {
        TestHttp anonymous = host.http().withKey("");
        for (String path :
                new String[] {"/console", "/console/console.js", "/console/console.css", "/console/icon.svg"}) {
            HttpResponse<String> response =
                    anonymous.send(anonymous.request(path).GET());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValueSatisfying(csp -> assertThat(csp)
                            .contains(
                                    "default-src 'none'",
                                    "script-src 'self'",
                                    "connect-src 'self'",
                                    "frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:"));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }
        HttpResponse<String> page = anonymous.get("/console");
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body())
                .contains("<script type=\"module\" src=\"/console/console.js\">")
                .doesNotContain("<script>", "style=\"", "http://", "https://");
    }

    @Test
    void unknownFile_is404_andNothingElseOnTheClassPathIsReachable() {
        TestHttp anonymous = host.http().withKey("");
        HttpResponse<String> missing = anonymous.get("/console/logback.xml");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no file 'logback.xml' in the web console");
        assertThat(anonymous.get("/console/..%2Flogback.xml").statusCode()).isIn(400, 404);
    }
}
