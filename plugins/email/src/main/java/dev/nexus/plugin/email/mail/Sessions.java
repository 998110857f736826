package dev.nexus.plugin.email.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.util.Locale;
import java.util.Properties;

/** Jakarta Mail sessions for an endpoint, and failures turned into messages an operator can act on. */
final class Sessions {

    private Sessions() {}

    /** A session for {@code protocol} ({@code imap} or {@code smtp}) at {@code endpoint}. */
    static Session of(String protocol, Endpoint endpoint) {
        String p = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.put(p + "host", endpoint.host());
        properties.put(p + "port", Integer.toString(endpoint.port()));
        String millis = Long.toString(endpoint.timeout().toMillis());
        properties.put(p + "connectiontimeout", millis);
        properties.put(p + "timeout", millis);
        properties.put(p + "writetimeout", millis);
        switch (endpoint.security()) {
            case TLS -> {
                properties.put(p + "ssl.enable", "true");
                properties.put(p + "ssl.checkserveridentity", "true");
            }
            case STARTTLS -> {
                properties.put(p + "starttls.enable", "true");
                properties.put(p + "starttls.required", "true");
                properties.put(p + "ssl.checkserveridentity", "true");
            }
            case PLAIN -> {}
        }
        if (protocol.equals("imap")) {
            // Reading a body must not set \Seen: a mail is marked seen only after the host took it.
            properties.put("mail.imap.peek", "true");
        } else {
            properties.put(
                    "mail.smtp.auth", Boolean.toString(!endpoint.password().isEmpty()));
        }
        return Loader.call(() -> Session.getInstance(properties));
    }

    /** Turns a failure talking to a server into our exception, naming the server and never the password. */
    static MailServerException failure(String doing, Endpoint endpoint, Exception e) {
        if (e instanceof AuthenticationFailedException) {
            return new MailServerException(
                    doing + " at " + endpoint + " was refused: the server did not accept the user name"
                            + " or password (" + reason(e)
                            + "); check username and the password secret (an app password for"
                            + " most providers)",
                    true);
        }
        return new MailServerException(doing + " at " + endpoint + " failed: " + reason(e), false);
    }

    /** The innermost useful message of a failure, capped, with the class name only when there is nothing else. */
    static String reason(Throwable e) {
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage() != null
                ? deepest.getMessage()
                : e.getMessage() != null ? e.getMessage() : describe(deepest);
        if (deepest instanceof java.net.ConnectException
                || deepest instanceof java.net.UnknownHostException
                || deepest instanceof java.net.SocketTimeoutException
                || deepest instanceof javax.net.ssl.SSLException) {
            message = describe(deepest) + ": " + message;
        }
        // Libraries put class names into messages ("java.io.IOException: …"); an operator needs the words after them.
        message = message.replaceAll("\\b([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(Exception|Error)\\b:?\\s*", "");
        message = message.replaceAll("[\\p{Cntrl}]+", " ").strip();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                message = "the TLS handshake failed (" + message + "): the server's certificate must be trusted by this"
                        + " JVM and name the configured host";
                break;
            }
        }
        return message.length() <= 300 ? message : message.substring(0, 300) + "…";
    }

    private static String describe(Throwable e) {
        return switch (e) {
            case java.net.ConnectException c -> "connection refused";
            case java.net.UnknownHostException u -> "unknown host";
            case java.net.SocketTimeoutException t -> "timed out";
            case javax.net.ssl.SSLException s -> "TLS failed";
            case MessagingException m -> "mail protocol error";
            default ->
                e.getClass()
                        .getSimpleName()
                        .replaceAll("(?<=[a-z])(?=[A-Z])", " ")
                        .toLowerCase(Locale.ROOT);
        };
    }
}
