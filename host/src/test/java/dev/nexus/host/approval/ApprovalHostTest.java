package dev.nexus.host.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.db.Database;
import dev.nexus.host.testing.TestHost;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource(TestHost.DATABASES)
class ApprovalHostTest {

    @Parameter
    Database.Kind database;

    @Test
    void host_servesTheApprovalQueue() {
        try (TestHost host = TestHost.start(database)) {
            HttpResponse<String> list = host.http().get("/v1/proposals?state=pending");
            HttpResponse<String> missing = host.http().get("/v1/proposals/nope");
            HttpResponse<String> anonymous = host.http().withKey("").get("/v1/proposals");

            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).isEqualTo("{\"proposals\":[]}");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }
}
