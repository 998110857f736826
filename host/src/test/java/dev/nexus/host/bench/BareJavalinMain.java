package dev.nexus.host.bench;

import io.javalin.Javalin;

/** The cold-start baseline: a bare Javalin process answering {@code /health}, nothing else. */
public final class BareJavalinMain {

    private BareJavalinMain() {}

    public static void main(String[] args) {
        Javalin.create(config -> config.showJavalinBanner = false)
                .get("/health", ctx -> ctx.result("{\"status\":\"ok\"}"))
                .start("127.0.0.1", Integer.parseInt(args[0]));
    }
}
