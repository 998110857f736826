package dev.nexus.host.sandbox;

/** How well sandboxed plugins are cut off from the network, as achieved on this machine. */
public enum Isolation {
    /** Each child JVM runs in its own, empty network namespace (Linux {@code unshare --net}): no network at all. */
    NETWORK_NAMESPACE("network-namespace"),
    /** The OS gave no network isolation; only the admission scan and the class-loader filter keep plugins off the network. */
    NONE("none");

    private final String label;

    Isolation(String label) {
        this.label = label;
    }

    /** Returns the label shown in {@code /v1/plugins}: {@code network-namespace} or {@code none}. */
    public String label() {
        return label;
    }
}
