package dev.nexus.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpReplyTest {

    @Test
    void withHeader_addsOrReplacesOneHeader_andKeepsTheRest() {
        HttpReply problem = HttpReply.problem(503, "Not stored", "try again");

        HttpReply retry = problem.withHeader("Retry-After", "5").withHeader("retry-after", "7");

        assertThat(retry.status()).isEqualTo(503);
        assertThat(retry.contentType()).isEqualTo("application/problem+json");
        assertThat(retry.body()).isEqualTo(problem.body());
        assertThat(retry.headers()).isEqualTo(Map.of("retry-after", "7"));
        assertThat(problem.headers()).isEmpty();
    }
}
