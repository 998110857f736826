package dev.nexus.plugin.email.mail;

import java.util.function.Supplier;

/**
 * Runs Jakarta Mail with the plugin's class loader as the thread's context loader. Jakarta Mail and
 * Jakarta Activation look for providers (IMAP, SMTP, the stream provider, mailcap) through the context
 * loader first, and a host thread's context loader does not see the plugin jar; Jakarta Mail 2.1 falls
 * back to its own loader (PackagedJarIT sends mail with a context loader that sees nothing), this keeps
 * the lookups independent of that fallback.
 */
final class Loader {

    private Loader() {}

    static <T> T call(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Loader.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
