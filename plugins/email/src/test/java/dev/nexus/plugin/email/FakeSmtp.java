package dev.nexus.plugin.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server on loopback that answers the first {@code RCPT TO}s with a chosen refusal (such as
 * {@code 550 5.1.1 user unknown}), for the refusals GreenMail does not give, and takes mail after that.
 * Speaks just enough of RFC 5321 (EHLO, AUTH PLAIN/LOGIN accepted, MAIL, RCPT, DATA, RSET, QUIT) for
 * Jakarta Mail. Keeps the mails it took, as text.
 */
final class FakeSmtp implements AutoCloseable {

    private final ServerSocket socket;
    private final String refusal;
    private final AtomicInteger refusalsLeft;
    private final AtomicInteger rcpts = new AtomicInteger();
    private final List<String> taken = new CopyOnWriteArrayList<>();

    /** Refuses every recipient with {@code refusal}. */
    FakeSmtp(String refusal) throws IOException {
        this(Integer.MAX_VALUE, refusal);
    }

    /** Refuses the first {@code refusals} recipients with {@code refusal}, then takes mail. */
    FakeSmtp(int refusals, String refusal) throws IOException {
        this.refusal = refusal;
        this.refusalsLeft = new AtomicInteger(refusals);
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The mails taken, as sent (headers and body). */
    List<String> taken() {
        return List.copyOf(taken);
    }

    /** How many recipients were asked for, refused or not. */
    int rcpts() {
        return rcpts.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            reply(out, "220 fake ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                switch (command) {
                    case "EHLO" -> reply(out, "250-fake\r\n250 AUTH PLAIN LOGIN");
                    case "AUTH" -> {
                        // AUTH PLAIN <response> is answered at once; otherwise every challenge answer is taken.
                        String[] words = line.split(" ");
                        for (int step = words.length >= 3 ? 2 : words[1].equalsIgnoreCase("PLAIN") ? 1 : 0;
                                step < 2;
                                step++) {
                            reply(out, "334 ");
                            in.readLine();
                        }
                        reply(out, "235 2.7.0 accepted");
                    }
                    case "MAIL", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "RCPT" -> {
                        rcpts.incrementAndGet();
                        reply(out, refusalsLeft.getAndDecrement() > 0 ? refusal : "250 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 go on");
                        StringBuilder mail = new StringBuilder();
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            mail.append(line).append("\r\n");
                        }
                        taken.add(mail.toString());
                        reply(out, "250 OK");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void reply(PrintWriter out, String text) {
        out.print(text + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
