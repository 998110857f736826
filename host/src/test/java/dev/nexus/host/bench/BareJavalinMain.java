package dev.nexus.host.bench;

import io.javalin.Javalin;

/**
 * The baseline of the start-up and HTTP benchmarks: a bare Javalin process answering
 * {@code GET /health} and {@code POST /v1/chat} (reads the body, answers a fixed small JSON), nothing
 * else: no database, no JSON parsing, no authentication.
 */
public final class BareJavalinMain {

    private BareJavalinMain() {}

    public static void main(String[] args) {
        Javalin.create(config -> config.showJavalinBanner = false)
                .get("/health", ctx -> ctx.result("{\"status\":\"ok\"}"))
                .post("/v1/chat", ctx -> {
                    ctx.body();
                    ctx.contentType("application/json").result("{\"message\":{\"content\":\"ok\"}}");
                })
                .start("127.0.0.1", Integer.parseInt(args[0]));
    }
}
