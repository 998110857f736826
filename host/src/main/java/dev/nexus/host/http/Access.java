package dev.nexus.host.http;

import dev.nexus.host.auth.Scope;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Who may call a route and whose data it reaches: the route's authorization rule. Every
 * {@link Route} must declare one, and there is deliberately no plain "any user key" rule: a route a
 * {@code user} key may call says whether it serves shared data ({@link #USER_SHARED}), acts as the
 * key's own user ({@link #USER_SELF}), or reaches a resource one user owns ({@link #userOwns},
 * {@link #userInPath}). The HTTP layer enforces scopes and ownership before the handler runs, and the
 * authorization matrix test ({@code AuthorizationMatrixTest}) derives every expected status from
 * these rules, so a new route is covered the moment it is declared. Immutable.
 *
 * <p>Scopes are independent capabilities: {@code admin} includes every other scope, but
 * {@code approver} does not include {@code user} (a reviewer who also chats holds both scopes).
 */
public final class Access {

    /** The kinds of rule, in the order the docs list them. */
    public enum Kind {
        /** No key (health, webhooks that verify their own signatures). */
        PUBLIC,
        /** Admin keys only. */
        ADMIN,
        /** Approver (or admin) keys; no user data is reached. */
        APPROVER,
        /** User (or admin) keys; the data is shared by everyone (personalities, packs, plugins). */
        USER_SHARED,
        /** User (or admin) keys acting as the key's own user; a different {@code user} in the request is 403. */
        USER_SELF,
        /** User (or admin) keys; the path names a resource that only its owner (and admins) may reach, others get 404. */
        USER_OWNS,
        /**
         * User (or admin) keys; the path names a shared resource (a room) that only its present members
         * (and admins) may reach, others get 404.
         */
        USER_MEMBER,
    }

    /** Anyone, without a key. Never on a {@code /v1} path. */
    public static final Access PUBLIC = new Access(Kind.PUBLIC, null, "", "", value -> Optional.empty());
    /** A key with the {@code admin} scope. */
    public static final Access ADMIN = new Access(Kind.ADMIN, Scope.ADMIN, "", "", value -> Optional.empty());
    /** A key with the {@code approver} scope (or {@code admin}). */
    public static final Access APPROVER = new Access(Kind.APPROVER, Scope.APPROVER, "", "", value -> Optional.empty());
    /** A key with the {@code user} scope (or {@code admin}), reaching data nobody owns. */
    public static final Access USER_SHARED =
            new Access(Kind.USER_SHARED, Scope.USER, "", "", value -> Optional.empty());
    /**
     * A key with the {@code user} scope (or {@code admin}) acting as its own user: the handler resolves
     * any {@code user} in the body or query with {@link dev.nexus.host.auth.Caller#actingUser}.
     */
    public static final Access USER_SELF = new Access(Kind.USER_SELF, Scope.USER, "", "", value -> Optional.empty());

    private final Kind kind;
    private final Scope scope;
    private final String parameter;
    private final String resource;
    private final Function<String, Optional<String>> owner;
    private final BiPredicate<String, String> member;

    private Access(
            Kind kind, Scope scope, String parameter, String resource, Function<String, Optional<String>> owner) {
        this(
                kind,
                scope,
                parameter,
                resource,
                owner,
                (id, principal) -> owner.apply(id).map(principal::equals).orElse(false));
    }

    private Access(
            Kind kind,
            Scope scope,
            String parameter,
            String resource,
            Function<String, Optional<String>> owner,
            BiPredicate<String, String> member) {
        this.kind = kind;
        this.scope = scope;
        this.parameter = parameter;
        this.resource = resource;
        this.owner = owner;
        this.member = member;
    }

    /**
     * A user (or admin) key reaching the resource named by path parameter {@code parameter}: only its
     * owner and admins pass; anyone else gets 404, as if it did not exist.
     *
     * @param resource what the parameter names, in words ("conversation", "fact"); used in messages and docs
     * @param owner returns the user id owning a resource id, or empty when there is no such resource;
     *     must not throw for unknown ids
     */
    public static Access userOwns(String parameter, String resource, Function<String, Optional<String>> owner) {
        requireText(parameter, "parameter");
        requireText(resource, "resource");
        return new Access(Kind.USER_OWNS, Scope.USER, parameter, resource, Objects.requireNonNull(owner, "owner"));
    }

    /**
     * A user (or admin) key reaching a resource several users share (a room), named by path parameter
     * {@code parameter}: only its members and admins pass; anyone else gets 404, as if it did not exist.
     *
     * @param resource what the parameter names, in words ("room"); used in messages and docs
     * @param member returns whether user {@code principal} is a member of resource {@code id} now; false
     *     for unknown ids, never throws
     */
    public static Access userMember(String parameter, String resource, BiPredicate<String, String> member) {
        requireText(parameter, "parameter");
        requireText(resource, "resource");
        return new Access(
                Kind.USER_MEMBER,
                Scope.USER,
                parameter,
                resource,
                id -> Optional.empty(),
                Objects.requireNonNull(member, "member"));
    }

    /** A user (or admin) key where path parameter {@code parameter} is a user id: only that user and admins pass. */
    public static Access userInPath(String parameter) {
        requireText(parameter, "parameter");
        return new Access(Kind.USER_OWNS, Scope.USER, parameter, "user", Optional::of);
    }

    /** Returns the kind of rule. */
    public Kind kind() {
        return kind;
    }

    /** Returns the scope a key needs, or empty for public routes. */
    public Optional<Scope> scope() {
        return Optional.ofNullable(scope);
    }

    /** Returns the path parameter naming the owned or shared resource ({@link Kind#USER_OWNS}, {@link Kind#USER_MEMBER}), or empty. */
    public Optional<String> parameter() {
        return parameter.isEmpty() ? Optional.empty() : Optional.of(parameter);
    }

    /** Returns what the owned resource is, in words ("conversation"), or "" for other kinds. */
    public String resource() {
        return resource;
    }

    /**
     * Returns true when user {@code principal} may reach resource {@code id} under this rule: its owner
     * ({@link Kind#USER_OWNS}) or a member ({@link Kind#USER_MEMBER}).
     */
    public boolean reaches(String id, String principal) {
        return member.test(id, principal);
    }

    /** Returns the user owning the resource {@code id}, or empty when it does not exist (or is shared, {@link Kind#USER_MEMBER}). */
    public Optional<String> ownerOf(String id) {
        return owner.apply(id);
    }

    /** Returns the rule in the words of docs/api.md's authorization table. */
    public String describe() {
        return switch (kind) {
            case PUBLIC -> "public";
            case ADMIN -> "admin";
            case APPROVER -> "approver";
            case USER_SHARED -> "user (shared data)";
            case USER_SELF -> "user (acts as the key's user)";
            case USER_OWNS -> "user (owner of the " + resource + " {" + parameter + "})";
            case USER_MEMBER -> "user (member of the " + resource + " {" + parameter + "})";
        };
    }

    @Override
    public String toString() {
        return describe();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
