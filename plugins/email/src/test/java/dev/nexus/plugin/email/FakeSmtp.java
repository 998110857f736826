package dev.nexus.plugin.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server on loopback that answers every {@code RCPT TO} with a chosen reply (such as
 * {@code 550 5.1.1 user unknown}), for the refusals GreenMail does not give. Speaks just enough of RFC 5321
 * (EHLO, AUTH PLAIN/LOGIN accepted, MAIL, RCPT, DATA, RSET, QUIT) for Jakarta Mail. Counts the mails it took.
 */
final class FakeSmtp implements AutoCloseable {

    private final ServerSocket socket;
    private final String rcptReply;
    private final AtomicInteger taken = new AtomicInteger();

    FakeSmtp(String rcptReply) throws IOException {
        this.rcptReply = rcptReply;
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    int taken() {
        return taken.get();
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
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
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
                        for (int step = words.length >= 3 ? 2 : words[1].equalsIgnoreCase("PLAIN") ? 1 : 0; step < 2; step++) {
                            reply(out, "334 ");
                            in.readLine();
                        }
                        reply(out, "235 2.7.0 accepted");
                    }
                    case "MAIL", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "RCPT" -> reply(out, rcptReply);
                    case "DATA" -> {
                        reply(out, "354 go on");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the mail is discarded
                        }
                        taken.incrementAndGet();
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
