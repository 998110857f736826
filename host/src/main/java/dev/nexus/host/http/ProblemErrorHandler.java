package dev.nexus.host.http;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own errors as problem documents instead of HTML: requests Jetty refuses before any route
 * sees them (oversized headers, malformed request lines or paths, bad framing). Thread-safe.
 */
final class ProblemErrorHandler extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE));
        return ByteBuffer.wrap(Json.writeBytes(body(status, reason, "")));
    }

    @Override
    protected void generateAcceptableResponse(
            Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message)
            throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(Problems.MEDIA_TYPE);
        response.getOutputStream().write(Json.writeBytes(body(code, message, request.getRequestURI())));
    }

    private static Map<String, Object> body(int status, String reason, String path) {
        String detail = switch (status) {
            case 431 -> "the request headers are larger than the server accepts; send fewer or smaller headers";
            case 414 -> "the request URI is longer than the server accepts; send a shorter path and query";
            case 413 -> "the request body exceeds the configured limit (server.max-body-bytes)";
            case 505 -> "the server speaks HTTP/1.0, HTTP/1.1 and HTTP/2 only; send one of those versions";
            case 400 ->
                "the request is malformed (" + plain(reason) + "); check the path, the headers and the body framing";
            default -> plain(reason);
        };
        String title = switch (status) {
            case 400 -> "Invalid input";
            case 413 -> "Payload too large";
            case 414 -> "URI too long";
            case 431 -> "Request header fields too large";
            case 505 -> "HTTP version not supported";
            default -> "HTTP " + status;
        };
        return Problems.document(status, title, detail, path == null ? "" : path);
    }

    private static String plain(String reason) {
        if (reason == null || reason.isBlank()) {
            return "no detail";
        }
        // Jetty's reasons are short phrases; anything looking like a Java name is dropped, not echoed.
        return reason.matches(".*[a-z]\\.[a-zA-Z].*")
                ? "refused by the HTTP parser"
                : InvalidInputException.cap(reason);
    }
}
