package dev.nexus.plugin.instagram;

import dev.nexus.api.platform.InboundMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an Instagram webhook notification ({@code {"object": "instagram", "entry": [{"id", "time",
 * "changes": [{"field": "comments", "value": {"id", "text", "from": {"id", "username"}, "media": {"id"}}}]}]}})
 * into inbound messages: one per comment not written by the account itself, one conversation per post
 * (its media id). Other fields are ignored. Stateless.
 */
final class Comments {

    private Comments() {}

    static List<InboundMessage> of(Map<String, Object> body, String personality, String account, Instant now) {
        if (!"instagram".equals(body.get("object")) || !(body.get("entry") instanceof List<?> entries)) {
            throw new IllegalArgumentException(
                    "expected an Instagram notification: {\"object\": \"instagram\", \"entry\": [...]}");
        }
        List<InboundMessage> messages = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> e) || !(e.get("changes") instanceof List<?> changes)) {
                continue;
            }
            for (Object change : changes) {
                if (!(change instanceof Map<?, ?> c)
                        || !"comments".equals(c.get("field"))
                        || !(c.get("value") instanceof Map<?, ?> v)) {
                    continue;
                }
                String id = text(v.get("id"));
                String text = text(v.get("text"));
                String from = v.get("from") instanceof Map<?, ?> f ? text(f.get("id")) : "";
                String mediaId = v.get("media") instanceof Map<?, ?> m ? text(m.get("id")) : "";
                if (id.isEmpty() || text.isBlank() || from.isEmpty() || mediaId.isEmpty()) {
                    throw new IllegalArgumentException("a comment needs id, text, from.id and media.id");
                }
                if (from.equals(account)) {
                    continue; // the account's own replies come back as comments too
                }
                messages.add(new InboundMessage(
                        InstagramConnector.PLATFORM,
                        id,
                        from,
                        personality,
                        Optional.empty(),
                        text,
                        now,
                        Map.of(InstagramConnector.COMMENT, id, InstagramConnector.MEDIA, mediaId),
                        Optional.of("media:" + mediaId)));
            }
        }
        return messages;
    }

    /** The query parameters of {@code path} ({@code /?hub.mode=subscribe&...}). */
    static Map<String, String> query(String path) {
        Map<String, String> query = new LinkedHashMap<>();
        int mark = path.indexOf('?');
        if (mark < 0) {
            return query;
        }
        for (String pair : path.substring(mark + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static String text(Object value) {
        return value == null ? "" : value instanceof Number n ? Long.toString(n.longValue()) : value.toString();
    }
}
