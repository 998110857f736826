package dev.nexus.host.llm;

/** Why a model stopped writing. */
public enum FinishReason {
    /** The model finished its answer. */
    STOP,
    /** The reply hit the output token limit. */
    LENGTH,
    /** The model asked for tool calls instead of (or besides) answering. */
    TOOL_CALLS,
    /** The provider filtered the content. */
    CONTENT_FILTER,
    /** The caller cancelled a stream. */
    CANCELLED,
    /** Anything else the provider reported. */
    OTHER
}
