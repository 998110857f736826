package dev.nexus.host.llm;

/**
 * What a model that cannot read a prompt answers from: the offline model asks its grounding for the
 * reply instead of generating text. Remote models ignore it (the same content is already in their
 * prompt). This package owns the port and the conversation layer provides it (a personality with
 * what was recalled for the turn, see {@code persona.PersonaGrounding}), so models never know what a
 * personality is. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface Grounding {

    /** Returns the offline reply to {@code message} (the last user message, possibly empty); never null. */
    String offlineReply(String message);
}
