package dev.nexus.host.sandbox;

import java.util.Objects;

/**
 * One symbol a sandboxed jar uses from outside itself, with the admission verdict on it. Names are
 * JVM internal names ({@code java/lang/String}, descriptors as in the class file). Immutable.
 *
 * @param kind what kind of reference it is
 * @param owner the type that owns the member, or the type itself for {@link Kind#TYPE} and {@link Kind#ANNOTATION}
 * @param name the member name, empty for types
 * @param descriptor the member descriptor, empty for types
 * @param allowed whether the allowlist permits it
 * @param reason why it is allowed or denied, e.g. "network"
 */
public record ExternalSymbol(Kind kind, String owner, String name, String descriptor, boolean allowed, String reason) {

    /** What a reference is. */
    public enum Kind {
        /** A type named anywhere: super types, descriptors, casts, {@code new}, catch clauses, constants. */
        TYPE,
        /** A method called, or the target of a lambda or method reference. */
        METHOD,
        /** A field read or written. */
        FIELD,
        /** The bootstrap method of an invokedynamic call site. */
        BOOTSTRAP,
        /** A method handle loaded as a constant: never emitted by javac for plugin code. */
        METHOD_HANDLE_CONSTANT,
        /** A method type loaded as a constant: only useful with method handles. */
        METHOD_TYPE_CONSTANT,
        /** A dynamically computed constant, produced by running a bootstrap method. */
        CONSTANT_DYNAMIC,
        /** An annotation type: inert, since reading annotations needs reflection. */
        ANNOTATION
    }

    /** Requires every component. */
    public ExternalSymbol {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Returns the symbol as one string: {@code java/io/File} (types), {@code java/io/File.<init>(Ljava/lang/String;)V}
     * (methods), {@code java/lang/System.out:Ljava/io/PrintStream;} (fields).
     */
    public String display() {
        if (name.isEmpty()) {
            return owner;
        }
        return owner + "." + name + (kind == Kind.FIELD ? ":" : "") + descriptor;
    }
}
