package dev.nexus.plugin.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.platform.ConnectorHealth;
import dev.nexus.api.platform.DeliveryResult;
import dev.nexus.api.platform.HttpInbound;
import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.OutboundMessage;
import dev.nexus.api.platform.PlatformConnector;
import dev.nexus.api.platform.PlatformConnectorContract;
import dev.nexus.api.testing.FakePluginContext;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract (the connector has no HTTP side, so its inbound part is skipped), plus the whole way
 * through a real IMAP and SMTP server on loopback (GreenMail): mail in, reply out in the thread, threads
 * as conversations, HTML, restarts, a host that asks to retry, a server that goes away, automatic mail
 * and hostile mail.
 */
class EmailConnectorTest extends PlatformConnectorContract {

    private static final String ALICE = "alice@example.org";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private MailServer server;

    @BeforeEach
    void startServer() {
        server = new MailServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected PlatformConnector newConnector() {
        return new EmailConnector();
    }

    @Override
    protected FakePluginContext newContext() {
        return context(Map.of());
    }

    private FakePluginContext context(Map<String, Object> extra) {
        return FakePluginContext.builder("email")
                .config(server.config())
                .config(extra)
                .secret("password", MailServer.PASSWORD)
                .build();
    }

    @Override
    protected Optional<HttpInbound> validInbound(FakePluginContext context, String externalId) {
        return Optional.empty(); // mail comes in over IMAP, never over HTTP
    }

    private static OutboundMessage replyTo(InboundMessage inbound, String id, String text) {
        return new OutboundMessage(id, inbound.externalId(), "c-1", "zen-engineer", text, inbound.replyTo(), 1);
    }

    private static String body(MimeMessage message, String type) throws Exception {
        Multipart alternative = (Multipart) message.getContent();
        for (int i = 0; i < alternative.getCount(); i++) {
            if (alternative.getBodyPart(i).isMimeType(type)) {
                return ((String) alternative.getBodyPart(i).getContent()).replace("\r\n", "\n");
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private static String rawText(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mailIn_isDeliveredAsTheSender_andTheReplyReachesTheSenderInTheThread() throws Exception {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        server.deliver(MailServer.raw(
                "Alice Example <Alice@Example.org>",
                "<m1@example.org>",
                "Deploy <failing>",
                "My deploy keeps failing.\n"));

        InboundMessage inbound = context.inbound().awaitMessages(1, WAIT).get(0);

        assertThat(inbound.platform()).isEqualTo("email");
        assertThat(inbound.user()).isEqualTo(ALICE);
        assertThat(inbound.externalId()).isEqualTo("<m1@example.org>");
        assertThat(inbound.thread()).contains("<m1@example.org>");
        assertThat(inbound.text()).isEqualTo("My deploy keeps failing.");
        MailServer.await(
                "the mail is marked seen after the host took it",
                () -> server.seenFlags().equals(List.of(true)));

        DeliveryResult result =
                connector.send(replyTo(inbound, "reply-1", "Check the <logs> & retry.\n\nThen tell me."));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(((DeliveryResult.Delivered) result).externalId())
                .startsWith("<nexus.")
                .endsWith("@example.org>");
        List<MimeMessage> received = server.mailbox(ALICE);
        assertThat(received).hasSize(1);
        MimeMessage reply = received.get(0);
        assertThat(reply.getSubject()).isEqualTo("Re: Deploy <failing>");
        assertThat(reply.getHeader("In-Reply-To")).containsExactly("<m1@example.org>");
        assertThat(reply.getHeader("References")).containsExactly("<m1@example.org>");
        assertThat(reply.getHeader("Auto-Submitted")).containsExactly("auto-replied");
        assertThat(reply.getMessageID()).isEqualTo(((DeliveryResult.Delivered) result).externalId());
        assertThat(reply.getFrom()[0].toString()).isEqualTo(MailServer.NEXUS);
        assertThat(body(reply, "text/plain")).isEqualTo("Check the <logs> & retry.\n\nThen tell me.");
        assertThat(body(reply, "text/html"))
                .contains("<p>Check the &lt;logs&gt; &amp; retry.</p><p>Then tell me.</p>")
                .doesNotContain("<logs>");
    }

    @Test
    void threadOfThreeMails_fromTwoPeople_isOneThread() throws Exception {
        FakePluginContext context = newContext();
        start(context);
        server.deliver(MailServer.raw(ALICE, "<root@example.org>", "Plans", "Shall we meet?"));
        server.deliver(MailServer.raw(
                "bob@example.org",
                "<r2@example.org>",
                "Re: Plans",
                "Yes, Friday.\n\nOn Fri, Dec 4, 2026" + " Alice <alice@example.org> wrote:\n> Shall we meet?",
                "In-Reply-To: <root@example.org>",
                "References: <root@example.org>"));
        server.deliver(MailServer.raw(
                ALICE,
                "<r3@example.org>",
                "Re: Plans",
                "Friday works.\n> Yes, Friday.",
                "In-Reply-To: <r2@example.org>",
                "References: <root@example.org>\r\n <r2@example.org>"));

        List<InboundMessage> messages = context.inbound().awaitMessages(3, WAIT);

        assertThat(messages).extracting(m -> m.thread().orElseThrow()).containsOnly("<root@example.org>");
        assertThat(messages).extracting(InboundMessage::user).containsExactly(ALICE, "bob@example.org", ALICE);
        assertThat(messages)
                .extracting(InboundMessage::text)
                .containsExactly("Shall we meet?", "Yes, Friday.", "Friday works.");
        assertThat(messages.get(2).replyTo().get(Mails.REFERENCES))
                .isEqualTo("<root@example.org> <r2@example.org> <r3@example.org>");
    }

    @Test
    void htmlOnlyMail_isReadAsText_withoutScriptOrStyle() throws Exception {
        FakePluginContext context = newContext();
        start(context);
        server.deliver(MailServer.raw(
                ALICE,
                "<html@example.org>",
                "Hi",
                "<html><head><style>p{color:red}</style>"
                        + "<title>ignored</title></head><body><script>alert('x')</script><p>Hello&nbsp;there &amp; welcome</p>"
                        + "<ul><li>one</li><li>two</li></ul><div>Caf&#233; &#x2615;</div></body></html>",
                "Content-Type: text/html; charset=UTF-8"));

        InboundMessage inbound = context.inbound().awaitMessages(1, WAIT).get(0);

        assertThat(inbound.text())
                .isEqualTo("Hello there & welcome\n\n- one\n- two\n\nCafé ☕")
                .doesNotContain("alert")
                .doesNotContain("color")
                .doesNotContain("ignored");
    }

    @Test
    void restart_neitherRepeatsNorLosesMail() throws Exception {
        FakePluginContext context = newContext();
        PlatformConnector first = start(context);
        server.deliver(MailServer.raw(ALICE, "<before@example.org>", "One", "first"));
        context.inbound().awaitMessages(1, WAIT);
        first.stop();
        server.deliver(MailServer.raw(ALICE, "<during@example.org>", "Two", "second, sent while stopped"));

        start(context);

        List<InboundMessage> messages = context.inbound().awaitMessages(2, WAIT);
        Thread.sleep(1500); // more than one poll: a repeated mail would show as a third deliver call
        assertThat(messages)
                .extracting(InboundMessage::externalId)
                .containsExactly("<before@example.org>", "<during@example.org>");
        assertThat(context.inbound().calls())
                .as("deliver calls, duplicates included")
                .isEqualTo(2);
        assertThat(context.store().get(Link.CURSOR))
                .hasValueSatisfying(cursor -> assertThat(cursor).endsWith(":2"));
    }

    @Test
    void firstStart_takesTheUnreadMailOnly_inBatches_thenEveryNewMail() throws Exception {
        for (int i = 1; i <= 5; i++) {
            server.deliver(MailServer.raw(ALICE, "<old" + i + "@example.org>", "Old " + i, "old mail " + i));
        }
        server.markRead(1);
        server.markRead(3);
        FakePluginContext context = context(Map.of("batch-size", 1));
        start(context);

        context.inbound().awaitMessages(3, WAIT);
        MailServer.await(
                "caught up",
                () -> context.store()
                        .get(Link.CURSOR)
                        .filter(c -> !c.endsWith(":unread"))
                        .isPresent());
        server.deliver(MailServer.raw(ALICE, "<new@example.org>", "New", "a new mail"));

        assertThat(context.inbound().awaitMessages(4, WAIT))
                .extracting(InboundMessage::externalId)
                .containsExactly("<old2@example.org>", "<old4@example.org>", "<old5@example.org>", "<new@example.org>");
        Thread.sleep(1500); // another poll: the read mails 1 and 3 must stay unanswered
        assertThat(context.inbound().calls()).isEqualTo(4);
    }

    @Test
    void idle_newMailIsTakenWhenItArrives_notAtTheNextPoll() throws Exception {
        FakePluginContext context = context(Map.of("poll-seconds", 3600));
        start(context);
        MailServer.await(
                "the first poll is done",
                () -> context.store()
                        .get(Link.CURSOR)
                        .filter(c -> !c.endsWith(":unread"))
                        .isPresent());
        Thread.sleep(300); // into the IDLE

        server.deliver(MailServer.raw(ALICE, "<idle@example.org>", "Now", "while idling"));

        // The next poll is an hour away: only IDLE can bring the mail in before this wait ends.
        assertThat(context.inbound().awaitMessages(1, WAIT))
                .extracting(InboundMessage::externalId)
                .containsExactly("<idle@example.org>");
    }

    @Test
    void idleOff_pollsOnly() throws Exception {
        FakePluginContext context = context(Map.of("idle", false));
        start(context);
        server.deliver(MailServer.raw(ALICE, "<polled@example.org>", "Poll", "polled"));

        assertThat(context.inbound().awaitMessages(1, WAIT))
                .extracting(InboundMessage::externalId)
                .containsExactly("<polled@example.org>");
    }

    @Test
    void hostRetryLater_leavesTheMailUnreadForTheNextPoll_thenTakesIt() throws Exception {
        FakePluginContext context = newContext();
        context.inbound().failWith(new IllegalStateException("database down"));
        PlatformConnector connector = start(context);
        server.deliver(MailServer.raw(ALICE, "<later@example.org>", "Later", "please keep me"));

        MailServer.await("the host was asked twice", () -> context.inbound().calls() >= 2);
        assertThat(context.inbound().messages()).isEmpty();
        assertThat(server.seenFlags()).containsExactly(false);
        assertThat(context.store().get(Link.CURSOR).orElse("none"))
                .as("the cursor has not moved past UID 1")
                .doesNotMatch(".*:1(:unread)?");
        assertThat(connector.health())
                .hasValueSatisfying(h -> assertThat(h.lastError())
                        .hasValueSatisfying(e -> assertThat(e).contains("the host cannot take mail right now")));

        context.inbound().acceptAll();

        assertThat(context.inbound().awaitMessages(1, WAIT))
                .extracting(InboundMessage::externalId)
                .containsExactly("<later@example.org>");
        MailServer.await("the mail is marked seen", () -> server.seenFlags().equals(List.of(true)));
    }

    @Test
    void serverDown_showsInHealth_andThePollRecoversWhenItReturns() throws Exception {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        server.deliver(MailServer.raw(ALICE, "<up@example.org>", "Up", "while up"));
        context.inbound().awaitMessages(1, WAIT);
        MailServer.await(
                "connected", () -> connector.health().orElseThrow().state() == ConnectorHealth.State.CONNECTED);

        server.stop();
        MailServer.await(
                "health shows the server down",
                () -> connector
                        .health()
                        .orElseThrow()
                        .lastError()
                        .filter(error -> error.contains("connection refused"))
                        .isPresent());
        assertThat(connector.health().orElseThrow().state()).isEqualTo(ConnectorHealth.State.RECONNECTING);
        assertThat(connector.health().orElseThrow().lastError())
                .hasValueSatisfying(error -> assertThat(error)
                        .contains("127.0.0.1:" + server.imapPort())
                        .contains("connection refused")
                        .doesNotContain(MailServer.PASSWORD));
        DeliveryResult whileDown =
                connector.send(replyTo(context.inbound().messages().get(0), "reply-down", "hello"));
        assertThat(whileDown).isInstanceOf(DeliveryResult.RetryLater.class);

        server.restart(); // empty mailbox, new UIDVALIDITY: the unread mail is taken
        server.deliver(MailServer.raw(ALICE, "<back@example.org>", "Back", "after the outage"));

        MailServer.await(
                "the new mail arrives", () -> context.inbound().messages().size() == 2);
        assertThat(connector.health().orElseThrow().state()).isEqualTo(ConnectorHealth.State.CONNECTED);
        assertThat(connector.send(replyTo(context.inbound().messages().get(0), "reply-down", "hello")))
                .isInstanceOf(DeliveryResult.Delivered.class);
    }

    @Test
    void automaticMail_andOurOwnMail_areIgnored() throws Exception {
        FakePluginContext context = newContext();
        start(context);
        server.deliver(MailServer.raw(
                ALICE, "<vacation@example.org>", "Out of office", "I am away.", "Auto-Submitted: auto-replied"));
        server.deliver(MailServer.raw(ALICE, "<bulk@example.org>", "News", "Sale!", "Precedence: bulk"));
        server.deliver(MailServer.raw("MAILER-DAEMON@example.org", "<bounce@example.org>", "Undelivered", "failed"));
        server.deliver(MailServer.raw(MailServer.NEXUS, "<own@example.org>", "Re: x", "our own reply"));
        server.deliver(MailServer.raw(ALICE, "<human@example.org>", "Question", "A real question"));

        List<InboundMessage> messages = context.inbound().awaitMessages(1, WAIT);

        assertThat(messages).extracting(InboundMessage::externalId).containsExactly("<human@example.org>");
        assertThat(context.inbound().calls()).isEqualTo(1);
        MailServer.await(
                "only the mail the host took is marked seen",
                () -> server.seenFlags().equals(List.of(false, false, false, false, true)));
    }

    @Test
    void hugeMail_isCutToTheTextLimit_andBrokenMimeIsSkipped_withoutStoppingThePoll() throws Exception {
        FakePluginContext context = context(Map.of("max-text-chars", 500, "max-part-bytes", 4096));
        PlatformConnector connector = start(context);
        server.deliver(MailServer.raw(ALICE, "<huge@example.org>", "Huge", "word ".repeat(1_000_000)));
        server.deliver(MailServer.raw(
                ALICE,
                "<broken@example.org>",
                "Broken",
                "--no-boundary\r\nnothing here",
                "Content-Type: multipart/mixed"));
        server.deliver(MailServer.raw(
                ALICE,
                "<badb64@example.org>",
                "Bad",
                "!!!not base64 at all\u0000",
                "Content-Type: text/plain; charset=no-such-charset",
                "Content-Transfer-Encoding: base64"));
        server.deliver(MailServer.raw(ALICE, "<after@example.org>", "After", "still polling"));

        MailServer.await(
                "the last mail arrives",
                () -> context.inbound().messages().stream()
                        .anyMatch(m -> m.externalId().equals("<after@example.org>")));

        InboundMessage huge = context.inbound().messages().get(0);
        assertThat(huge.externalId()).isEqualTo("<huge@example.org>");
        assertThat(huge.text()).hasSizeLessThanOrEqualTo(501).endsWith("…");
        assertThat(connector.health().orElseThrow().state()).isEqualTo(ConnectorHealth.State.CONNECTED);
    }

    @Test
    void headerInjection_inSubjectAndAddresses_neverReachesSmtpHeaders() throws Exception {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        // An encoded subject that decodes to a line break and a Bcc header; a display name trying the same.
        String subject = "=?UTF-8?B?"
                + java.util.Base64.getEncoder()
                        .encodeToString("Hi\r\nBcc: eve@evil.example".getBytes(StandardCharsets.UTF_8))
                + "?=";
        server.deliver(MailServer.raw(
                "\"Alice =?UTF-8?Q?=0D=0ABcc:_eve@evil.example?=\" <alice@example.org>",
                "<inj@example.org>",
                subject,
                "hello",
                "References: <root@example.org>\r\n <bad id@evil> <x\"y@evil>\r\n <ok@example.org>"));
        InboundMessage inbound = context.inbound().awaitMessages(1, WAIT).get(0);
        assertThat(inbound.user()).isEqualTo(ALICE);
        assertThat(inbound.replyTo().get(Mails.SUBJECT)).isEqualTo("Hi Bcc: eve@evil.example");
        assertThat(inbound.replyTo().get(Mails.SUBJECT)).isEqualTo("Hi Bcc: eve@evil.example");

        DeliveryResult result = connector.send(replyTo(inbound, "reply-inj", "hi"));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        MimeMessage reply = server.mailbox(ALICE).get(0);
        assertThat(reply.getHeader("Bcc")).isNull();
        assertThat(reply.getSubject()).isEqualTo("Re: Hi Bcc: eve@evil.example");
        assertThat(rawText(reply)).doesNotContain("\r\nBcc:");
        assertThat(reply.getHeader("References")[0].replaceAll("\\s+", " "))
                .isEqualTo("<root@example.org> <ok@example.org> <inj@example.org>");
        assertThat(server.mailbox("eve@evil.example")).isEmpty();

        Map<String, String> forged = new java.util.HashMap<>(inbound.replyTo());
        forged.put(Mails.TO, "alice@example.org\r\nBcc: eve@evil.example");
        forged.put(Mails.ANSWERED, "<a@b>\r\nBcc: eve@evil.example");
        DeliveryResult refused = connector.send(new OutboundMessage("reply-forged", "x", "c", "p", "hi", forged, 1));
        assertThat(refused)
                .isInstanceOfSatisfying(
                        DeliveryResult.Failed.class,
                        failed -> assertThat(failed.reason()).contains("address is not valid"));
        assertThat(server.mailbox("eve@evil.example")).isEmpty();
        assertThat(server.mailbox(ALICE)).hasSize(1);
    }

    @Test
    void send_subjectThatLooksEncoded_readsBackAsWritten() throws Exception {
        FakePluginContext context = newContext();
        PlatformConnector connector = start(context);
        String subject = "=?UTF-8?B?"
                + java.util.Base64.getEncoder()
                        .encodeToString("x\r\nBcc: eve@evil.example".getBytes(StandardCharsets.UTF_8))
                + "?=";
        Map<String, String> replyTo = Map.of(Mails.TO, ALICE, Mails.SUBJECT, subject);

        assertThat(connector.send(new OutboundMessage("r-enc", "x", "c", "p", "hi", replyTo, 1)))
                .isInstanceOf(DeliveryResult.Delivered.class);

        assertThat(server.mailbox(ALICE).get(0).getSubject()).isEqualTo("Re: " + subject);
    }

    @Test
    void send_recipientRefusedWith5xx_failsForGood_andWith4xx_retriesLater() throws Exception {
        Map<String, String> address = Map.of(Mails.TO, "gone@example.org", Mails.SUBJECT, "x");
        try (FakeSmtp refusing = new FakeSmtp("550 5.1.1 <gone@example.org>: user unknown");
                FakeSmtp busy = new FakeSmtp("451 4.3.0 try again later")) {
            PlatformConnector permanent = start(context(Map.of("smtp-port", refusing.port())));
            PlatformConnector passing = start(context(Map.of("smtp-port", busy.port())));

            DeliveryResult refused = permanent.send(new OutboundMessage("r-550", "x", "c", "p", "hi", address, 1));
            DeliveryResult later = passing.send(new OutboundMessage("r-451", "x", "c", "p", "hi", address, 3));

            assertThat(refused)
                    .isInstanceOfSatisfying(
                            DeliveryResult.Failed.class,
                            failed -> assertThat(failed.reason())
                                    .contains("refused the mail (550)")
                                    .contains("user unknown"));
            assertThat(later).isInstanceOfSatisfying(DeliveryResult.RetryLater.class, retry -> {
                assertThat(retry.reason()).contains("451");
                assertThat(retry.after())
                        .isEqualTo(Duration.ofSeconds(1)); // attempt 3 would wait 8 s; the test caps it at 1
            });
            assertThat(refusing.taken()).as("mails the refusing server took").isEmpty();
            assertThat(busy.taken()).as("mails the busy server took").isEmpty();
        }
    }

    @Test
    void send_withoutAnAddress_failsSayingWhy() {
        PlatformConnector connector = start(newContext());

        DeliveryResult result = connector.send(new OutboundMessage("r", "x", "c", "p", "hi", Map.of(), 1));

        assertThat(result)
                .isInstanceOfSatisfying(
                        DeliveryResult.Failed.class,
                        failed -> assertThat(failed.reason()).contains("no address"));
    }

    @Test
    void wrongPassword_isFailingHealth_namingTheSecret() throws Exception {
        FakePluginContext context = FakePluginContext.builder("email")
                .config(server.config())
                .secret("password", "wrong")
                .build();
        PlatformConnector connector = start(context);

        MailServer.await(
                "health is failing", () -> connector.health().orElseThrow().state() == ConnectorHealth.State.FAILING);

        assertThat(connector.health().orElseThrow().lastError())
                .hasValueSatisfying(error -> assertThat(error)
                        .contains("user name or password")
                        .contains("password secret")
                        .doesNotContain("wrong"));
    }

    @Test
    void tls_toAServerWithAnUntrustedCertificate_isReconnectingHealth_sayingWhy() throws Exception {
        com.icegreen.greenmail.util.GreenMail imaps =
                new com.icegreen.greenmail.util.GreenMail(com.icegreen.greenmail.util.ServerSetup.dynamicPort(
                        new com.icegreen.greenmail.util.ServerSetup[] {com.icegreen.greenmail.util.ServerSetupTest.IMAPS
                        }));
        imaps.start();
        try {
            // GreenMail's certificate is self-signed: TLS must refuse it, not fall back to anything weaker.
            FakePluginContext context = context(
                    Map.of("imap-security", "tls", "imap-port", imaps.getImaps().getPort()));
            PlatformConnector connector = start(context);

            MailServer.await(
                    "health shows the TLS failure",
                    () -> connector.health().orElseThrow().lastError().isPresent());

            assertThat(connector.health().orElseThrow().state()).isEqualTo(ConnectorHealth.State.RECONNECTING);
            assertThat(connector.health().orElseThrow().lastError())
                    .hasValueSatisfying(error -> assertThat(error)
                            .contains("TLS handshake failed")
                            .contains("certificate must be trusted")
                            .doesNotContain("Exception"));
        } finally {
            imaps.stop();
        }
    }

    @Test
    void start_plainSecurityToARemoteServer_isRefusedNamingTheKey() {
        FakePluginContext context = FakePluginContext.builder("email")
                .config(server.config())
                .config(Map.of("smtp-host", "smtp.example.org"))
                .build();

        assertThatThrownBy(() -> new EmailConnector().start(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'smtp-security' is plain")
                .hasMessageContaining("use tls or starttls");
    }

    @Test
    void start_withoutAddress_isRefusedNamingTheKey() {
        FakePluginContext context = FakePluginContext.builder("email")
                .config(Map.of("personality", "p", "imap-host", "imap.example.org", "smtp-host", "smtp.example.org"))
                .build();

        assertThatThrownBy(() -> new EmailConnector().start(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("email config 'address' is required");
    }
}
