package dev.nexus.host.http;

/**
 * Implemented by exceptions that name the request parameter at fault and a machine-readable code, which
 * the OpenAI error shape carries as {@code param} and {@code code} (e.g. {@code model} /
 * {@code model_not_found}). Either may be null, as in OpenAI's own errors.
 */
public interface OpenAiParam {

    /** Returns the request parameter at fault, or null. */
    String param();

    /** Returns the error code, or null. */
    String code();
}
