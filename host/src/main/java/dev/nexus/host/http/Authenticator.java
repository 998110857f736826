package dev.nexus.host.http;

import dev.nexus.host.auth.Caller;

/** Turns a bearer secret into a caller; throws {@code AccessDeniedException} (401) when unknown. */
@FunctionalInterface
public interface Authenticator {

    /** Returns the caller for {@code secret}. */
    Caller authenticate(String secret);
}
