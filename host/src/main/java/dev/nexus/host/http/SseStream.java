package dev.nexus.host.http;

import dev.nexus.host.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * SSE written straight to the servlet output stream, flushed per event. Confined to the request's
 * thread, except {@link #end()}, which a graceful stop calls from another.
 */
final class SseStream implements EventStream {

    private final OutputStream out;
    private final Thread owner = Thread.currentThread();
    private volatile boolean open = true;

    SseStream(HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        this.out = response.getOutputStream();
        response.flushBuffer();
    }

    @Override
    public boolean send(String event, Object data) {
        return write(frame(event, data));
    }

    @Override
    public boolean data(Object data) {
        return write(frame(null, data));
    }

    private static String frame(String event, Object data) {
        String payload = data instanceof String text ? text : Json.write(data);
        StringBuilder frame = new StringBuilder(payload.length() + 32);
        if (event != null) {
            frame.append("event: ").append(event).append('\n');
        }
        for (String line : payload.split("\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        frame.append('\n');
        return frame.toString();
    }

    @Override
    public boolean comment(String text) {
        return write(": " + text.replace('\n', ' ') + "\n\n");
    }

    private boolean write(String frame) {
        if (!open) {
            return false;
        }
        try {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | RuntimeException clientGone) {
            open = false;
            return false;
        }
    }

    /**
     * Ends a watching stream from another thread (the server is stopping): the next write reports the
     * stream closed, and a handler waiting for its next event is woken by an interrupt.
     */
    void end() {
        open = false;
        owner.interrupt();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            try {
                out.close();
            } catch (IOException ignored) {
                // the client has gone; nothing left to close
            }
        }
    }
}
