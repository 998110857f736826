package dev.nexus.host.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.http.Route;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API reference of the real host: complete, consistent, and served offline. H2 only: it reads
 * the route table and the generated document, nothing stored (docs/testing.md, "Both databases").
 */
@SuppressWarnings("unchecked")
class OpenApiDocumentTest {

    static TestHost host;
    static Map<String, Object> document;

    @BeforeAll
    static void start() {
        host = TestHost.start();
        HttpResponse<String> response = host.http().withKey("").get("/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        document = TestHttp.json(response);
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void everyRouteOfTheHost_isDeclaredWithItsSchemas() {
        assertThat(ApiDocsRoutes.undocumented(host.host().routes()))
                .as("routes without an entry in apidocs.RouteDocs: declare their summary and schemas there")
                .isEmpty();
    }

    @Test
    void everyRoute_appearsInTheDocument_withItsMethodAndScope() {
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
        for (Route route : host.host().routes()) {
            Map<String, Object> item = (Map<String, Object>) paths.get(OpenApiDocument.openApiPath(route.path()));
            assertThat(item).as(route.method() + " " + route.path()).isNotNull();
            Map<String, Object> operation =
                    (Map<String, Object>) item.get(route.method().toLowerCase(Locale.ROOT));
            assertThat(operation).as(route.method() + " " + route.path()).isNotNull();
            assertThat(operation.get("x-nexus-scope"))
                    .isEqualTo(route.access().scope().map(s -> s.label()).orElse("public"));
            assertThat((Map<String, Object>) operation.get("responses")).isNotEmpty();
        }
        Map<String, Object> chat = (Map<String, Object>) ((Map<String, Object>) paths.get("/v1/chat")).get("post");
        assertThat(chat.toString()).contains("#/components/schemas/ChatRequest", "#/components/schemas/Turn");
        assertThat((List<?>) chat.get("security")).isNotEmpty();
        Map<String, Object> completions =
                (Map<String, Object>) ((Map<String, Object>) paths.get("/v1/chat/completions")).get("post");
        assertThat(((Map<String, Object>) completions.get("responses"))
                        .get("401")
                        .toString())
                .contains("OpenAiError");
        assertThat((List<?>)
                        ((Map<String, Object>) ((Map<String, Object>) paths.get("/health")).get("get")).get("security"))
                .isEmpty();
    }

    @Test
    void everySchemaReference_resolvesToAComponent() {
        Map<String, Object> schemas =
                (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
        List<String> references = new ArrayList<>();
        Matcher refs = Pattern.compile("#/components/schemas/([A-Za-z]+)").matcher(document.toString());
        while (refs.find()) {
            references.add(refs.group(1));
        }
        assertThat(references).isNotEmpty();
        assertThat(schemas.keySet()).containsAll(references);
    }

    @Test
    void referencePage_loadsSwaggerUiFromTheServerItself() {
        TestHttp anonymous = host.http().withKey("");
        HttpResponse<String> page = anonymous.get("/docs/api");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body())
                .contains("/docs/api/swagger-ui-bundle.js", "url: '/openapi.json'")
                .doesNotContain("https://");
        HttpResponse<String> bundle = anonymous.get("/docs/api/swagger-ui-bundle.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(anonymous.get("/docs/api/swagger-ui.css").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/docs/api/index.html").statusCode()).isEqualTo(404);
    }
}
