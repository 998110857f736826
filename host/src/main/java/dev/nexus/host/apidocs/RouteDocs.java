package dev.nexus.host.apidocs;

import static dev.nexus.host.apidocs.Schemas.any;
import static dev.nexus.host.apidocs.Schemas.array;
import static dev.nexus.host.apidocs.Schemas.bool;
import static dev.nexus.host.apidocs.Schemas.integer;
import static dev.nexus.host.apidocs.Schemas.map;
import static dev.nexus.host.apidocs.Schemas.number;
import static dev.nexus.host.apidocs.Schemas.object;
import static dev.nexus.host.apidocs.Schemas.open;
import static dev.nexus.host.apidocs.Schemas.openObject;
import static dev.nexus.host.apidocs.Schemas.optional;
import static dev.nexus.host.apidocs.Schemas.ref;
import static dev.nexus.host.apidocs.Schemas.required;
import static dev.nexus.host.apidocs.Schemas.str;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The per-route declarations of the API reference: for every route ({@code METHOD path}, exactly as
 * in the route table), a summary, the page of docs/ that documents it, and its request and response
 * schemas. {@code OpenApiDocumentTest} fails for a route of the real host that has no entry here: a
 * new route is documented when it is added. Schemas of large documents (a personality, a proposal's
 * evidence) are open objects pointing at their docs page. Immutable.
 */
final class RouteDocs {

    /**
     * One operation.
     *
     * @param summary one line
     * @param doc the docs/ page with the details
     * @param request the request body's media type and schema, if it takes one
     * @param status the success status
     * @param response the success response's media type and schema (empty media type: no body)
     */
    record Operation(String summary, String doc, Optional<Body> request, int status, Body response) {}

    /** A body: media type and schema. */
    record Body(String mediaType, Map<String, Object> schema) {}

    private static final String JSON = "application/json";
    private static final Map<String, Operation> OPERATIONS = new LinkedHashMap<>();
    private static final Map<String, Object> LOAN = array(object(
            required("personality", str("the borrower")),
            required("trait", str()),
            required("from", str("the lender"))));

    private RouteDocs() {}

    /** Returns the declaration of {@code method path}, or empty when the route is undocumented. */
    static Optional<Operation> of(String method, String path) {
        return Optional.ofNullable(OPERATIONS.get(method + " " + path));
    }

    /** Returns the shared schemas ({@code #/components/schemas/…}). */
    static Map<String, Object> components() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(
                "Problem",
                openObject(
                        required("type", str()),
                        required("title", str()),
                        required("status", integer()),
                        required("detail", str("what is wrong and how to fix it")),
                        required("instance", str()),
                        optional("problems", array(str()))));
        c.put(
                "OpenAiError",
                object(required(
                        "error",
                        object(
                                required("message", str()),
                                required("type", str()),
                                required("param", any("the parameter at fault, or null")),
                                required("code", any("a code such as model_not_found, or null"))))));
        c.put(
                "StoredMessage",
                openObject(
                        required("id", str()),
                        required("role", str("user or assistant")),
                        required("content", str()),
                        required("createdAt", str()),
                        optional("platform", str()),
                        optional("state", str("user messages: pending, answered, failed")),
                        optional("personality", open("{id, version}")),
                        optional("traits", map(number())),
                        optional("model", str()),
                        optional("inReplyTo", str()),
                        optional("speaker", ref("Speaker")),
                        optional("metadata", open("offline, usage, recalled, context, tools: see docs/api.md")),
                        optional("alternatives", array(open("regenerated replies to the same message, as messages")))));
        c.put(
                "Turn",
                openObject(
                        required("conversation", str()),
                        required("message", ref("StoredMessage")),
                        required("userMessage", open("{id, createdAt, speaker?}")),
                        required("personality", open("{id, version}")),
                        required("traits", map(number())),
                        required("model", str()),
                        required("metadata", open("see docs/api.md")),
                        optional("alternativeOf", str("regenerated replies: the first reply's id"))));
        c.put(
                "ChatRequest",
                object(
                        required("personality", str("a personality id")),
                        required("user", str("1-200 characters")),
                        optional("conversation", str("continue this conversation; left out, a new one starts")),
                        required("message", str("at most chat.max-message-chars")),
                        optional("speaker", ref("Speaker"))));
        c.put(
                "Speaker",
                object(
                        required(
                                "name",
                                str("who said the message (a group chat): 1-100 characters without control"
                                        + " characters, shown before the turn; see docs/memory.md")),
                        optional(
                                "id",
                                str("a platform identity or user id, 1-200 characters; the user's own id"
                                        + " makes the turn the user's"))));
        c.put(
                "Personality",
                open(
                        "a personality in the native format: see docs/personality-format.md and docs/persona.schema.json"));
        c.put(
                "Key",
                openObject(
                        required("id", str()),
                        required("name", str()),
                        required("prefix", str()),
                        required("scopes", array(str())),
                        required("createdAt", str()),
                        required("active", bool())));
        c.put(
                "Proposal",
                openObject(
                        required("id", str()),
                        required("kind", str()),
                        required("state", str()),
                        required("sha256", str()),
                        required("proposer", str()),
                        optional("payload", open("kind-specific: see docs/evolution.md")),
                        optional("result", open("tool calls: the outcome once approved"))));
        c.put("Fact", open("a remembered fact: see docs/memory.md"));
        c.put(
                "Secret",
                object(
                        required("plugin", str()),
                        required("name", str("canonical: lower case, dashes")),
                        required("keyId", str("the master key it is sealed with (a hash)")),
                        required("createdAt", str()),
                        required("updatedAt", str()),
                        required("updatedBy", str("API key id")),
                        required("overriddenByEnvironment", bool())));
        c.put(
                "Link",
                object(
                        required("identity", str("platform:user, e.g. telegram:123")),
                        required("user", str()),
                        required("createdAt", str()),
                        required("createdBy", str("the admin key's id"))));
        c.put(
                "Goal",
                openObject(
                        required("id", str()),
                        required("user", str()),
                        required("title", str()),
                        required("status", str("active, paused or completed")),
                        required("progress", number()),
                        required("progressSource", str("milestones or set")),
                        required("milestones", array(ref("Milestone"))),
                        optional("deadline", str()),
                        optional("history", array(open("{progress, source, note, at}")))));
        c.put(
                "Milestone",
                openObject(
                        required("id", str()),
                        required("title", str()),
                        required("position", integer()),
                        required("done", bool()),
                        optional("due", str()),
                        optional("doneSource", str("api or chat")),
                        optional("doneMethod", str("manual, rules or model"))));
        c.put(
                "Task",
                openObject(
                        required("id", str()),
                        required("integration", str()),
                        required("action", str()),
                        required("status", str("pending, awaiting-approval, running, completed, failed or cancelled")),
                        required("risk", str()),
                        required("attempts", integer()),
                        optional("proposal", str()),
                        optional("result", str()),
                        optional("error", str()),
                        optional("history", array(open("{from, to, actor, detail, at}")))));
        c.put(
                "Room",
                openObject(
                        required("id", str()),
                        required("title", str()),
                        required("createdBy", str()),
                        required("policy", str("mention, round-robin, relevance or free")),
                        required("maxConsecutiveTurns", integer()),
                        required("tokenBudget", integer()),
                        required("tokensUsed", integer()),
                        required(
                                "borrow",
                                array(object(
                                        required("personality", str()),
                                        required("trait", str()),
                                        required("from", str())))),
                        required("personalities", array(str())),
                        required("users", array(str())),
                        required("createdAt", str())));
        c.put(
                "RoomMessage",
                openObject(
                        required("id", str()),
                        required("room", str()),
                        required("seq", integer()),
                        required("speakerKind", str("user, personality or system")),
                        required("speaker", str()),
                        required("content", str()),
                        required(
                                "metadata",
                                open(
                                        "model, usage, personality version, traits, borrowed traits, protocol stage, citations")),
                        required("createdAt", str())));
        c.put("Feedback", open("feedback on a reply: see docs/evolution.md"));
        c.put("Pack", open("a knowledge pack: see docs/memory.md"));
        c.put("Run", open("an evolution run with its evidence: see docs/evolution.md"));
        c.put(
                "Experiment",
                open("an A/B experiment: state, verdict, proposal, control and treatment arms with feedback counts "
                        + "and posterior means, probabilityTreatmentBetter/Worse: see docs/experiments.md"));
        c.put(
                "Plugin",
                openObject(
                        required("id", str()),
                        required("version", str()),
                        required("state", str()),
                        required("kinds", array(str())),
                        optional("error", str()),
                        optional("source", str()),
                        optional("details", open("see docs/api.md")),
                        optional("switchable", bool()),
                        optional(
                                "health",
                                open("a platform connector's link, by platform:"
                                        + " {state: connected, reconnecting or failing, lastError, since}"))));
        c.put(
                "Model",
                object(
                        required("id", str("a personality id")),
                        required("object", str("model")),
                        required("created", integer()),
                        required("owned_by", str())));
        c.put(
                "ChatCompletion",
                openObject(
                        required("id", str()),
                        required("object", str("chat.completion")),
                        required("created", integer()),
                        required("model", str()),
                        required("choices", array(open("{index, message, logprobs, finish_reason}"))),
                        required(
                                "usage",
                                object(
                                        required("prompt_tokens", integer()),
                                        required("completion_tokens", integer()),
                                        required("total_tokens", integer()))),
                        optional("nexus", open("{conversation, message, userMessage}"))));
        c.put(
                "CompletionRequest",
                openObject(
                        required("model", str("a personality id")),
                        required(
                                "messages",
                                array(openObject(
                                        required("role", str()), optional("content", any("a string or text parts"))))),
                        optional("stream", bool()),
                        optional("stream_options", openObject(optional("include_usage", bool()))),
                        optional("user", str()),
                        optional("n", integer())));
        c.put(
                "JsonRpc",
                openObject(
                        required("jsonrpc", str("2.0")),
                        optional("id", any("request id")),
                        optional("method", str()),
                        optional("params", open("method parameters")),
                        optional("result", any("")),
                        optional("error", open("{code, message}"))));
        return c;
    }

    private static void op(String route, String summary, String doc, Body request, int status, Body response) {
        OPERATIONS.put(route, new Operation(summary, doc, Optional.ofNullable(request), status, response));
    }

    private static Body json(Map<String, Object> schema) {
        return new Body(JSON, schema);
    }

    private static Body none() {
        return new Body("", Map.of());
    }

    private static Map<String, Object> newFact() {
        return object(
                optional("user", str()),
                optional("personality", str()),
                required("fact", str()),
                optional("category", str()),
                optional("confidence", number()),
                optional("occurredAt", str("ISO-8601 time or date")),
                optional("externalId", str()),
                optional("metadata", map(str())),
                optional("pinned", bool()),
                optional("slot", str()));
    }

    private static Map<String, Object> list(String field, Map<String, Object> items) {
        return object(required(field, array(items)));
    }

    static {
        op(
                "GET /health",
                "Readiness (kept for existing monitors): the server, its database and plugins",
                "operations.md",
                null,
                200,
                json(openObject(
                        required("status", str("ok or unavailable")),
                        required("down", array(str("a dependency that is down"))),
                        required("database", open("{kind, up, pool}")),
                        required("plugins", open("{total, byState, failed}")))));
        op(
                "GET /health/ready",
                "Readiness: 200 when the database answers and the host is not stopping, else 503 naming what is down",
                "operations.md",
                null,
                200,
                json(openObject(
                        required("status", str("ok or unavailable")),
                        required("down", array(str("a dependency that is down"))),
                        required("database", open("{kind, up, pool}")),
                        required("plugins", open("{total, byState, failed}")))));
        op(
                "GET /health/live",
                "Liveness: 200 while the process serves HTTP",
                "operations.md",
                null,
                200,
                json(object(required("status", str("ok")))));
        op(
                "GET /metrics",
                "Every metric in the Prometheus text format (turn stages, tokens, tool calls, HTTP statuses, "
                        + "pool, outbox, caches)",
                "operations.md",
                null,
                200,
                new Body("text/plain", Map.of("type", "string")));
        op("GET /openapi.json", "This OpenAPI document", "api.md", null, 200, json(open("OpenAPI 3.1")));
        op(
                "GET /docs/api",
                "The interactive API reference (Swagger UI, served offline)",
                "api.md",
                null,
                200,
                new Body("text/html", Map.of("type", "string")));
        op(
                "GET /docs/api/{file}",
                "Assets of the API reference page",
                "api.md",
                null,
                200,
                new Body("application/octet-stream", Map.of("type", "string")));
        op("GET /", "Redirects to the web console", "console.md", null, 302, none());
        op(
                "GET /console",
                "The web console (HTML; sign in with an API key)",
                "console.md",
                null,
                200,
                new Body("text/html", Map.of("type", "string")));
        op(
                "GET /console/{file}",
                "The web console's scripts, styles and icon",
                "console.md",
                null,
                200,
                new Body("application/octet-stream", Map.of("type", "string")));

        // Platform hooks: the connector plugin authenticates and answers.
        for (String method : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
            op(
                    method + " /hooks/{platform}",
                    "A platform's webhook, answered by its connector plugin",
                    "conversations.md",
                    method.equals("GET") || method.equals("DELETE")
                            ? null
                            : new Body("*/*", any("as the platform sends it")),
                    200,
                    new Body("*/*", any("as the connector answers")));
            op(
                    method + " /hooks/{platform}/<path>",
                    "A platform's webhook sub-path, answered by its connector plugin",
                    "conversations.md",
                    method.equals("GET") || method.equals("DELETE")
                            ? null
                            : new Body("*/*", any("as the platform sends it")),
                    200,
                    new Body("*/*", any("as the connector answers")));
        }

        op(
                "POST /mcp",
                "MCP (Streamable HTTP): one JSON-RPC message per POST",
                "mcp.md",
                json(ref("JsonRpc")),
                200,
                json(ref("JsonRpc")));
        op("GET /mcp", "MCP event stream: not offered (405)", "mcp.md", null, 405, json(ref("Problem")));
        op("DELETE /mcp", "MCP session end: no sessions (405)", "mcp.md", null, 405, json(ref("Problem")));

        op(
                "GET /v1/models",
                "Personalities as OpenAI models",
                "openai.md",
                null,
                200,
                json(object(required("object", str("list")), required("data", array(ref("Model"))))));
        op("GET /v1/models/{id}", "One personality as an OpenAI model", "openai.md", null, 200, json(ref("Model")));
        op(
                "POST /v1/chat/completions",
                "OpenAI chat completion: a real Nexus turn (stream: true for chunks)",
                "openai.md",
                json(ref("CompletionRequest")),
                200,
                json(ref("ChatCompletion")));

        op("POST /v1/chat", "Run a chat turn", "api.md", json(ref("ChatRequest")), 200, json(ref("Turn")));
        op(
                "POST /v1/chat/stream",
                "Run a chat turn as Server-Sent Events (start, token, tool, done, error)",
                "api.md",
                json(ref("ChatRequest")),
                200,
                new Body("text/event-stream", str("events: see docs/api.md")));
        op(
                "GET /v1/conversations",
                "The caller's conversations, most recently active first (query: user (admins), personality, limit)",
                "api.md",
                null,
                200,
                json(object(
                        required("user", str("the user listed")),
                        required(
                                "conversations",
                                array(object(
                                        required("id", str()),
                                        required("personality", str()),
                                        required("user", str()),
                                        required("platform", str()),
                                        required("createdAt", str()),
                                        required("updatedAt", str()),
                                        required("title", str("the first user message, cut at 120 characters")),
                                        required("messages", integer())))))));
        op(
                "GET /v1/conversations/{id}/messages",
                "A conversation's messages, oldest first (query: limit, after)",
                "api.md",
                null,
                200,
                json(openObject(
                        required("conversation", str()),
                        required("personality", str()),
                        required("user", str()),
                        required("platform", str()),
                        required("createdAt", str()),
                        required("messages", array(ref("StoredMessage"))))));
        op(
                "GET /v1/conversations/{id}/events",
                "A conversation, live: message and token events (Server-Sent Events)",
                "api.md",
                null,
                200,
                new Body("text/event-stream", str("events: see docs/api.md")));
        op(
                "POST /v1/messages/{id}/regenerate",
                "Write and keep another reply to the message a reply answers",
                "api.md",
                null,
                201,
                json(ref("Turn")));

        op("GET /v1/keys", "API keys", "api.md", null, 200, json(list("keys", ref("Key"))));
        op(
                "POST /v1/keys",
                "Create an API key (the secret is shown once)",
                "api.md",
                json(object(required("name", str()), required("scopes", array(str("admin, approver or user"))))),
                201,
                json(object(required("key", ref("Key")), required("secret", str("nxk_…, shown only here")))));
        op("DELETE /v1/keys/{id}", "Revoke an API key", "api.md", null, 204, none());

        op(
                "GET /v1/plugins",
                "Plugins, sandboxed fitness jars and MCP servers with their state",
                "api.md",
                null,
                200,
                json(list("plugins", ref("Plugin"))));
        op(
                "POST /v1/plugins/{id}/disable",
                "Switch a code plugin off now and after restarts, on every host (its extensions"
                        + " stop; 409 for refused or sandboxed plugins)",
                "api.md",
                null,
                200,
                json(ref("Plugin")));
        op(
                "POST /v1/plugins/{id}/enable",
                "Switch a code plugin back on, or restart one that failed (config checked again;"
                        + " 409 when plugins.disabled names it)",
                "api.md",
                null,
                200,
                json(ref("Plugin")));
        op(
                "GET /v1/tools",
                "The tools on offer to models (plugins' and MCP servers'), with their parameter schemas",
                "plugin-guide.md",
                null,
                200,
                json(list(
                        "tools",
                        openObject(
                                required("name", str()),
                                required("description", str()),
                                required("risk", str("low, medium or high")),
                                required("parameters", open("the JSON Schema"))))));
        op(
                "POST /v1/tools/{name}/invoke",
                "Call a tool without a model, through the same schema check, approval and time"
                        + " limit as a model's call",
                "plugin-guide.md",
                json(object(
                        optional("arguments", open("the tool's arguments")),
                        optional("user", str("acting for; default the key's principal")),
                        optional("personality", str("default manual-invoke")))),
                200,
                json(openObject(
                        required("tool", str()),
                        required("callId", str()),
                        required("outcome", str("done, failed or awaiting-approval (then 202 with proposalId)")),
                        optional("content", str()),
                        optional("truncated", bool()),
                        optional("reason", str()),
                        optional("retriable", bool()),
                        optional("proposalId", str()))));
        op(
                "GET /v1/sandbox/plugins/{sha256}/symbols",
                "Every external symbol of a judged sandboxed jar, with its verdict",
                "sandbox.md",
                null,
                200,
                json(openObject(
                        required("sha256", str()),
                        required("fileName", str()),
                        required("admission", str("admitted or refused")),
                        required("policyVersion", integer()),
                        required("problems", array(str())),
                        required("symbols", array(open("{symbol, kind, allowed, reason}"))))));

        op(
                "GET /v1/personalities",
                "Personalities (query: trait=directness>0.7, q=text)",
                "personality-format.md",
                null,
                200,
                json(open("{personalities: [...]}")));
        op(
                "POST /v1/personalities",
                "Create a personality",
                "personality-format.md",
                json(ref("Personality")),
                201,
                json(ref("Personality")));
        op(
                "GET /v1/personalities/{id}",
                "A personality's current version and problems",
                "personality-format.md",
                null,
                200,
                json(ref("Personality")));
        op(
                "PUT /v1/personalities/{id}",
                "Replace a personality (a new version)",
                "personality-format.md",
                json(ref("Personality")),
                200,
                json(ref("Personality")));
        op(
                "DELETE /v1/personalities/{id}",
                "Delete a personality created over the API",
                "personality-format.md",
                null,
                204,
                none());
        op(
                "GET /v1/personalities/{id}/versions",
                "A personality's versions",
                "personality-format.md",
                null,
                200,
                json(open("{versions: [...]}")));
        op(
                "GET /v1/personalities/{id}/versions/{version}",
                "One version of a personality",
                "personality-format.md",
                null,
                200,
                json(ref("Personality")));
        op(
                "POST /v1/personalities/import",
                "Import a Character Card (JSON, PNG, CHARX), ElizaOS character or native YAML",
                "interchange.md",
                new Body("*/*", any("the file, or multipart/form-data with a file part")),
                201,
                json(open("the imported personality and what was kept: see docs/interchange.md")));
        op(
                "GET /v1/personalities/{id}/export",
                "Export a personality (query format: native, ccv2, ccv3, png, charx)",
                "interchange.md",
                null,
                200,
                new Body("*/*", any("JSON, PNG or a CHARX zip")));

        op(
                "GET /v1/audit",
                "The audit log, newest first (query: actor, action, target, since, until, cursor, limit)",
                "operations.md",
                null,
                200,
                json(object(
                        required(
                                "entries",
                                array(openObject(
                                        required("id", str()),
                                        required("at", str()),
                                        required("actor", open("{keyId, name}")),
                                        required("action", str("METHOD /path")),
                                        required("target", str("the resource path")),
                                        required("status", integer()),
                                        optional("beforeSha256", str()),
                                        optional("afterSha256", str())))),
                        optional("next", str("the cursor of the next page")))));

        op(
                "PUT /v1/links/{identity}",
                "Link a platform identity (platform:user) to a user: its messages act as that user",
                "api.md",
                json(object(required("user", str("the user id, 1-200 characters")))),
                200,
                json(ref("Link")));
        op("GET /v1/links", "Identity links (query: user)", "api.md", null, 200, json(list("links", ref("Link"))));
        op(
                "DELETE /v1/links/{identity}",
                "Unlink a platform identity: its messages act as the identity itself again",
                "api.md",
                null,
                204,
                none());
        op(
                "PUT /v1/secrets/{plugin}/{name}",
                "Set a plugin's secret in the encrypted vault (the value is never returned)",
                "vault.md",
                json(object(required("value", str("1-16384 bytes")))),
                200,
                json(ref("Secret")));
        op(
                "GET /v1/secrets",
                "The vault's secrets, names only (query: plugin)",
                "vault.md",
                null,
                200,
                json(object(required("keyId", str()), required("secrets", array(ref("Secret"))))));
        op(
                "GET /v1/secrets/{plugin}/{name}",
                "One secret's metadata, never its value",
                "vault.md",
                null,
                200,
                json(ref("Secret")));
        op(
                "DELETE /v1/secrets/{plugin}/{name}",
                "Delete a plugin's secret from the vault",
                "vault.md",
                null,
                204,
                none());
        op(
                "POST /v1/secrets/rotation",
                "Rotate the vault's master key (key file only): every secret re-encrypted in one transaction",
                "vault.md",
                null,
                200,
                json(object(
                        required("keyId", str()),
                        required("previousKeyId", str()),
                        required("secrets", integer()),
                        required("rotatedAt", str()))));
        Map<String, Object> schedule = openObject(
                required("id", str()),
                required("personality", str()),
                required("name", str()),
                required("cron", str("minute hour day month weekday")),
                required("timeZone", str()),
                required("jitterSeconds", integer()),
                required("action", str("post or message")),
                required("platform", str()),
                optional("user", str()),
                required("text", str()),
                required("state", str("active or paused")),
                optional("plannedAt", str()),
                optional("nextRunAt", str("the jittered time of the next run")),
                required("createdAt", str()),
                required("createdBy", str()));
        op(
                "GET /v1/schedules",
                "Scheduled actions (query: personality)",
                "presence.md",
                null,
                200,
                json(object(required("schedules", array(schedule)))));
        op(
                "POST /v1/schedules",
                "Create a scheduled action: a post or a proactive message, cron + jitter",
                "presence.md",
                json(object(
                        required("personality", str()),
                        optional("name", str()),
                        required("cron", str("e.g. 0 8 * * 1-5")),
                        optional("timeZone", str("default: the personality's presence time zone")),
                        optional("jitterSeconds", integer()),
                        required("action", str("post or message")),
                        required("platform", str()),
                        optional("user", str("for message: the user who opted in")),
                        required("text", str("1-4000 characters")))),
                201,
                json(schedule));
        op("GET /v1/schedules/{id}", "One scheduled action", "presence.md", null, 200, json(schedule));
        op(
                "GET /v1/schedules/{id}/runs",
                "A schedule's run history, newest first (query: limit)",
                "presence.md",
                null,
                200,
                json(object(required(
                        "runs",
                        array(openObject(
                                required("id", str()),
                                required("schedule", str()),
                                required("plannedAt", str()),
                                required("dueAt", str()),
                                required("ranAt", str()),
                                required("outcome", str("queued, skipped or failed")),
                                required("detail", str()),
                                optional("messageId", str())))))));
        op("POST /v1/schedules/{id}/pause", "Pause a schedule", "presence.md", null, 200, json(schedule));
        op(
                "POST /v1/schedules/{id}/start",
                "Start (resume) a schedule from its next time after now",
                "presence.md",
                null,
                200,
                json(schedule));
        op("DELETE /v1/schedules/{id}", "Delete a schedule and its runs", "presence.md", null, 204, none());
        Map<String, Object> consent = object(
                required("user", str()),
                required("platform", str()),
                required("personality", str("an id, or * for any")),
                required("maxPerDay", integer()),
                required("createdAt", str()));
        op(
                "PUT /v1/users/{id}/consents/{platform}",
                "Opt in to proactive messages on a platform (the user or an admin)",
                "presence.md",
                json(object(
                        optional("personality", str("only this one; left out: any")),
                        optional("maxPerDay", integer()))),
                200,
                json(consent));
        op(
                "DELETE /v1/users/{id}/consents/{platform}",
                "Opt out of proactive messages on a platform",
                "presence.md",
                null,
                204,
                none());
        op(
                "GET /v1/users/{id}/consents",
                "A user's consents and the proactive messages queued to them (query: limit)",
                "presence.md",
                null,
                200,
                json(
                        object(
                                required("consents", array(consent)),
                                required(
                                        "proactiveMessages",
                                        array(
                                                open(
                                                        "{id, platform, personality, schedule, conversation, text, queuedAt, dueAt}"))))));
        op(
                "GET /v1/users/{id}/export",
                "Everything Nexus holds about a user, as one JSON archive (the user or an admin)",
                "api.md",
                null,
                200,
                json(openObject(
                        required("format", str("nexus-user-export/1")),
                        required("user", str()),
                        required("exportedAt", str()),
                        required("feedback", array(ref("Feedback"))),
                        required(
                                "conversations",
                                array(open("{id, personality, platform, createdAt, summary, messages}"))),
                        required("memory", open("{facts, episodes, profile, relationships}")),
                        optional("links", array(open("{identity, user, createdAt, createdBy}"))),
                        required("keys", array(open("key metadata, never secrets"))))));
        op(
                "DELETE /v1/users/{id}",
                "Erase everything Nexus holds about a user and revoke their keys (the user or an admin)",
                "api.md",
                null,
                200,
                json(object(required("user", str()), required("erased", map(integer())))));

        op(
                "GET /v1/memory/facts",
                "Facts about a user (query: user)",
                "memory.md",
                null,
                200,
                json(list("facts", ref("Fact"))));
        op("POST /v1/memory/facts", "State a fact", "memory.md", json(newFact()), 201, json(ref("Fact")));
        op(
                "GET /v1/memory/facts/{id}",
                "Inspect a fact: provenance and every version of it",
                "memory.md",
                null,
                200,
                json(ref("Fact")));
        op(
                "POST /v1/memory/import",
                "Import a dated history of facts",
                "memory.md",
                json(object(optional("user", str()), required("facts", array(newFact())))),
                200,
                json(object(
                        required("user", str()), required("count", integer()), required("facts", array(ref("Fact"))))));
        op(
                "DELETE /v1/memory/facts",
                "Delete every fact of a user (query: user)",
                "memory.md",
                null,
                200,
                json(open("{deleted}")));
        op(
                "POST /v1/memory/facts/{id}/pin",
                "Pin a fact: consolidation never drops it",
                "memory.md",
                null,
                200,
                json(ref("Fact")));
        op("POST /v1/memory/facts/{id}/unpin", "Unpin a fact", "memory.md", null, 200, json(ref("Fact")));
        op("DELETE /v1/memory/facts/{id}", "Delete a fact", "memory.md", null, 204, none());
        op(
                "GET /v1/memory/people",
                "The user's relationship graph: the people their facts are about (query: user)",
                "memory.md",
                null,
                200,
                json(open("{user, people: [{relation, name, facts}]}")));
        op(
                "GET /v1/memory/search",
                "Search memory (query: q, user, personality, limit, …)",
                "memory.md",
                null,
                200,
                json(open("{results: [...]}")));
        op(
                "GET /v1/memory/profile/{user}",
                "A user's profile and relationships",
                "memory.md",
                null,
                200,
                json(open("a profile")));
        op(
                "PUT /v1/memory/profile/{user}",
                "Update a user's profile",
                "memory.md",
                json(object(optional("displayName", str()), optional("attributes", map(str())))),
                200,
                json(open("a profile")));
        op("GET /v1/memory/stats", "Memory counts and cache statistics", "memory.md", null, 200, json(open("counts")));
        op(
                "POST /v1/memory/consolidate",
                "Run memory consolidation now",
                "memory.md",
                null,
                200,
                json(open("a consolidation report")));

        op("GET /v1/knowledge/packs", "Knowledge packs", "memory.md", null, 200, json(list("packs", ref("Pack"))));
        op("POST /v1/knowledge/packs", "Add a knowledge pack", "memory.md", json(ref("Pack")), 201, json(ref("Pack")));
        op("GET /v1/knowledge/packs/{id}", "A knowledge pack", "memory.md", null, 200, json(ref("Pack")));
        op(
                "DELETE /v1/knowledge/packs/{id}",
                "Delete a knowledge pack added over the API",
                "memory.md",
                null,
                204,
                none());
        op(
                "POST /v1/knowledge/packs/{id}/activation",
                "Activate a pack (for one personality or all)",
                "memory.md",
                json(object(optional("personality", str()), optional("mode", str()))),
                200,
                json(ref("Pack")));
        op(
                "DELETE /v1/knowledge/packs/{id}/activation",
                "Deactivate a pack",
                "memory.md",
                null,
                200,
                json(ref("Pack")));
        op(
                "POST /v1/knowledge/lorebooks",
                "Import a lorebook / World Info as a knowledge pack",
                "memory.md",
                new Body("*/*", any("the lorebook file")),
                201,
                json(ref("Pack")));

        op(
                "GET /v1/goals",
                "A user's goals (query: user, status)",
                "goals.md",
                null,
                200,
                json(list("goals", ref("Goal"))));
        op(
                "POST /v1/goals",
                "Create a goal, optionally with milestones",
                "goals.md",
                json(object(
                        optional("user", str()),
                        required("title", str()),
                        optional("description", str()),
                        optional("status", str("active, paused or completed")),
                        optional("deadline", str("an ISO date or instant")),
                        optional(
                                "milestones",
                                array(object(
                                        required("title", str()), optional("due", str("an ISO date or instant"))))))),
                201,
                json(ref("Goal")));
        op(
                "GET /v1/goals/{id}",
                "A goal with its milestones and progress history",
                "goals.md",
                null,
                200,
                json(ref("Goal")));
        op(
                "PUT /v1/goals/{id}",
                "Replace a goal's title, description, status and deadline",
                "goals.md",
                json(object(
                        required("title", str()),
                        optional("description", str()),
                        optional("status", str("active, paused or completed")),
                        optional("deadline", str("an ISO date or instant")))),
                200,
                json(ref("Goal")));
        op("DELETE /v1/goals/{id}", "Delete a goal with its milestones and history", "goals.md", null, 204, none());
        op(
                "POST /v1/goals/{id}/progress",
                "Set a goal's progress (0-1), or let the milestones decide it again",
                "goals.md",
                json(object(
                        optional("progress", number()), optional("fromMilestones", bool()), optional("note", str()))),
                200,
                json(ref("Goal")));
        op(
                "POST /v1/goals/{id}/milestones",
                "Add a milestone",
                "goals.md",
                json(object(required("title", str()), optional("due", str("an ISO date or instant")))),
                201,
                json(ref("Milestone")));
        op(
                "POST /v1/goals/{id}/milestones/{milestone}/complete",
                "Mark a milestone done",
                "goals.md",
                null,
                200,
                json(ref("Goal")));
        op(
                "POST /v1/goals/{id}/milestones/{milestone}/uncomplete",
                "Mark a milestone open again",
                "goals.md",
                null,
                200,
                json(ref("Goal")));
        op(
                "GET /v1/goals/{id}/suggestions",
                "Next steps: from the configured model, else from the offline rules (says which)",
                "goals.md",
                null,
                200,
                json(object(
                        required("goal", str()),
                        required("source", str("model or offline-rules")),
                        optional("model", str()),
                        optional("note", str("why the offline rules were used")),
                        required(
                                "suggestions",
                                array(openObject(
                                        required("kind", str()),
                                        required("text", str()),
                                        optional("milestone", str())))))));

        op(
                "POST /v1/rooms",
                "Create a room with personalities and people (the caller is in it)",
                "rooms.md",
                json(object(
                        required("title", str()),
                        optional("policy", str("mention, round-robin, relevance (default) or free")),
                        optional("personalities", array(str())),
                        optional("users", array(str())),
                        optional("maxConsecutiveTurns", integer()),
                        optional("tokenBudget", integer()),
                        optional("borrow", LOAN),
                        optional("user", str("admins: the creator")))),
                201,
                json(ref("Room")));
        op(
                "GET /v1/rooms",
                "The rooms the caller is in (admins: every room, or ?user=)",
                "rooms.md",
                null,
                200,
                json(list("rooms", ref("Room"))));
        op("GET /v1/rooms/{id}", "A room and who is in it now", "rooms.md", null, 200, json(ref("Room")));
        op(
                "POST /v1/rooms/{id}/participants",
                "Add a personality or a person; they witness what is said from now on",
                "rooms.md",
                json(object(optional("personality", str()), optional("user", str()))),
                200,
                json(ref("Room")));
        op(
                "DELETE /v1/rooms/{id}/participants/{participant}",
                "Remove a participant (user:<id> or personality:<id>)",
                "rooms.md",
                null,
                200,
                json(ref("Room")));
        op(
                "POST /v1/rooms/{id}/messages",
                "Say something in a room; the personalities the turn policy picks answer",
                "rooms.md",
                json(object(
                        required("message", str()),
                        optional("to", array(str("personality ids"))),
                        optional("borrow", LOAN),
                        optional("user", str("admins: who speaks")))),
                200,
                json(
                        object(
                                required("message", ref("RoomMessage")),
                                required("replies", array(ref("RoomMessage"))),
                                required(
                                        "stopped",
                                        str(
                                                "done, nobody-addressed, no-personality, max-consecutive, token-budget or passed")))));
        op(
                "GET /v1/rooms/{id}/messages",
                "The messages the caller witnessed (admins: all, or ?as=personality:<id>)",
                "rooms.md",
                null,
                200,
                json(object(
                        required("room", str()),
                        required("viewer", str()),
                        required("messages", array(ref("RoomMessage"))))));
        op(
                "GET /v1/rooms/{id}/events",
                "Server-Sent Events: message, speaking, stopped",
                "rooms.md",
                null,
                200,
                new Body("text/event-stream", str("message, speaking and stopped events")));
        op(
                "POST /v1/rooms/{id}/protocols",
                "Run a debate, panel or team over the room, ending in a synthesis citing each",
                "rooms.md",
                json(object(
                        required("protocol", str("debate, panel or team")),
                        required("question", str()),
                        optional("rounds", integer()),
                        optional("judge", str()),
                        optional("moderator", str()),
                        optional("leader", str()))),
                200,
                json(object(
                        required("protocol", str()),
                        required("complete", bool()),
                        required("transcript", array(ref("RoomMessage"))),
                        required("synthesis", ref("RoomMessage")))));
        op(
                "POST /v1/route",
                "The personalities that best fit a request, with scores and reasons",
                "rooms.md",
                json(object(
                        required("message", str()),
                        optional("traits", array(str("a filter such as directness>0.7"))),
                        optional("limit", integer()))),
                200,
                json(object(
                        required("method", str("embedding+keywords or keywords")),
                        required("filters", array(str())),
                        required(
                                "matches",
                                array(object(
                                        required("personality", str()),
                                        required("name", str()),
                                        required("score", number()),
                                        required("reasons", array(str()))))))));

        op(
                "GET /v1/tasks/integrations",
                "Integrations with their actions, parameter schemas and risk",
                "tasks.md",
                null,
                200,
                json(list(
                        "integrations",
                        openObject(
                                required("integration", str()),
                                required(
                                        "actions",
                                        array(openObject(
                                                required("action", str()),
                                                required("tool", str()),
                                                required("description", str()),
                                                required("risk", str()),
                                                required("needsApproval", bool()),
                                                required("parameters", open("a JSON Schema")))))))));
        op(
                "POST /v1/tasks/execute",
                "Queue an integration's action (risky ones wait for approval)",
                "tasks.md",
                json(object(
                        required("integration", str()),
                        required("action", str()),
                        optional("params", open("the action's arguments")),
                        optional("user", str()),
                        optional("personality", str()))),
                202,
                json(ref("Task")));
        op(
                "GET /v1/tasks",
                "Tasks, newest first (query: status, integration, user)",
                "tasks.md",
                null,
                200,
                json(list("tasks", ref("Task"))));
        op("GET /v1/tasks/{id}", "A task with its transitions", "tasks.md", null, 200, json(ref("Task")));
        op(
                "POST /v1/tasks/{id}/cancel",
                "Cancel a task that has not started",
                "tasks.md",
                null,
                200,
                json(ref("Task")));

        op(
                "POST /v1/feedback",
                "Rate or critique a reply",
                "evolution.md",
                json(object(
                        required("message", str("a reply's id")),
                        optional("rating", any("1-5, up or down")),
                        optional("critiques", array(str())),
                        optional("comment", str()))),
                201,
                json(ref("Feedback")));
        op(
                "GET /v1/feedback",
                "Feedback (query: message, personality)",
                "evolution.md",
                null,
                200,
                json(list("feedback", ref("Feedback"))));
        op(
                "GET /v1/feedback/vocabulary",
                "The critiques and what each one means",
                "evolution.md",
                null,
                200,
                json(open("the vocabulary")));
        op(
                "POST /v1/evolution/runs",
                "Start an evolution run",
                "evolution.md",
                json(object(
                        required("personality", str()),
                        optional("seed", integer()),
                        optional("generations", integer()),
                        optional("population", integer()))),
                202,
                json(ref("Run")));
        op(
                "GET /v1/evolution/runs",
                "Evolution runs, newest first (query: personality, limit 1-100, default 20)",
                "evolution.md",
                null,
                200,
                json(list("runs", ref("Run"))));
        op("GET /v1/evolution/runs/{id}", "An evolution run", "evolution.md", null, 200, json(ref("Run")));
        op(
                "POST /v1/personalities/{id}/experiments",
                "Start an A/B experiment: the current version against an earlier one",
                "experiments.md",
                json(object(
                        required("controlVersion", integer()),
                        optional("treatmentVersion", integer()),
                        optional("treatmentPercent", integer()),
                        optional("minFeedback", integer()),
                        optional("threshold", number()))),
                201,
                json(ref("Experiment")));
        op(
                "GET /v1/personalities/{id}/experiments",
                "A personality's newest 20 A/B experiments, each with its results",
                "experiments.md",
                null,
                200,
                json(list("experiments", ref("Experiment"))));
        op(
                "GET /v1/personalities/{id}/experiments/{eid}",
                "An A/B experiment's results per version (evaluated on read)",
                "experiments.md",
                null,
                200,
                json(ref("Experiment")));
        op(
                "POST /v1/personalities/{id}/experiments/{eid}/stop",
                "Stop an A/B experiment without a verdict",
                "experiments.md",
                null,
                200,
                json(ref("Experiment")));

        op(
                "POST /v1/personalities/blends",
                "Propose a new personality blended from well-rated ones (created only once approved)",
                "evolution.md",
                json(object(
                        optional("sources", array(str("2 or 3 personality ids; left out: the two best rated"))),
                        optional("id", str()),
                        optional("name", str()))),
                201,
                json(ref("Proposal")));
        op(
                "GET /v1/proposals",
                "Proposals (query: state)",
                "evolution.md",
                null,
                200,
                json(list("proposals", ref("Proposal"))));
        op(
                "POST /v1/proposals",
                "Propose a rollback to an earlier version",
                "evolution.md",
                json(object(
                        required("kind", str()),
                        required("personality", str()),
                        required("version", integer()),
                        optional("reason", str()))),
                201,
                json(ref("Proposal")));
        op(
                "GET /v1/proposals/{id}",
                "A proposal with its diff and evidence",
                "evolution.md",
                null,
                200,
                json(ref("Proposal")));
        op(
                "POST /v1/proposals/{id}/approve",
                "Approve (with the sha256 you reviewed)",
                "evolution.md",
                json(object(required("sha256", str()), optional("reason", str()))),
                200,
                json(ref("Proposal")));
        op(
                "POST /v1/proposals/{id}/reject",
                "Reject",
                "evolution.md",
                json(object(optional("reason", str()))),
                200,
                json(ref("Proposal")));
        op(
                "GET /v1/proposals/events",
                "Proposal transitions, live (Server-Sent Events)",
                "evolution.md",
                null,
                200,
                new Body("text/event-stream", str("events: see docs/evolution.md")));
    }
}
