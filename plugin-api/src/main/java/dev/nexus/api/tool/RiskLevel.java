package dev.nexus.api.tool;

/** How dangerous a tool call is. */
public enum RiskLevel {
    /** Reads public information; runs without approval. */
    LOW,
    /** Reads private information or has small, reversible effects; runs without approval unless configured otherwise. */
    MEDIUM,
    /** Changes things outside the host (sends, writes, pays); every call waits for human approval. */
    HIGH
}
