package dev.nexus.plugin.email.mail;

/** How a connection to a mail server is protected. */
public enum Security {
    /** TLS from the first byte (IMAP 993, SMTP 465). */
    TLS,
    /** A plain connection upgraded with STARTTLS, which the server must offer (IMAP 143, SMTP 587). */
    STARTTLS,
    /** No encryption: only for a server on this machine (tests, a local relay); settings refuse it elsewhere. */
    PLAIN
}
