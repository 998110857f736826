package dev.nexus.api.tool;

/** The outcome of {@link Tool#invoke}. */
public sealed interface ToolResult {

    /**
     * The call worked.
     *
     * @param content the result as text for the model (keep it short; the host truncates long results)
     * @param mediaType the media type of {@code content}, e.g. {@code text/plain}
     */
    record Success(String content, String mediaType) implements ToolResult {}

    /**
     * The call failed.
     *
     * @param message what went wrong, for the model and the log; never include secrets
     * @param retriable true when trying again later may work (timeouts, 5xx), false for refusals
     */
    record Failure(String message, boolean retriable) implements ToolResult {}
}
