package dev.nexus.host.sandbox;

/**
 * How well sandboxed plugins are cut off from the machine, as achieved on this machine; strongest first.
 * A level weaker than {@link #OS_SANDBOX} must be accepted explicitly by the approver (the enablement
 * proposal says which level it accepts).
 */
public enum Isolation {
    /**
     * Each child JVM runs under bubblewrap as an unprivileged user (uid 65534 when the host is root), in its
     * own user, mount, PID, IPC, UTS, cgroup and empty network namespace, with a read-only view of the JDK,
     * the system libraries and its own class path and plugin jar, an empty size-capped writable {@code /tmp},
     * no capabilities, no new privileges, and resource limits (CPU time, processes/threads, file size, open
     * files, no core dumps).
     */
    OS_SANDBOX("os-sandbox"),
    /** Each child JVM runs in its own, empty network namespace (Linux {@code unshare --net}): no network, but the host's files and user. */
    NETWORK_NAMESPACE("network-namespace"),
    /** The OS gave no isolation; only the admission scan and the class-loader filter keep plugins off files and network. */
    NONE("none");

    private final String label;

    Isolation(String label) {
        this.label = label;
    }

    /** Returns the label shown in {@code /v1/plugins}: {@code os-sandbox}, {@code network-namespace} or {@code none}. */
    public String label() {
        return label;
    }

    /** Returns the level with this label. */
    public static java.util.Optional<Isolation> ofLabel(String label) {
        for (Isolation level : values()) {
            if (level.label.equals(label)) {
                return java.util.Optional.of(level);
            }
        }
        return java.util.Optional.empty();
    }

    /** Returns true when this level is at least as strong as {@code other}. */
    public boolean atLeast(Isolation other) {
        return ordinal() <= other.ordinal();
    }
}
