package dev.nexus.host.conversation;

import dev.nexus.host.db.Database;
import dev.nexus.host.json.Json;
import dev.nexus.host.persona.PersonalityId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Stores conversations and messages (Jdbi). Thread-safe. */
final class ConversationRepository {

    /**
     * A stored conversation. Immutable.
     *
     * @param summary the summary of messages up to and including {@code summaryThrough} (a seq)
     */
    record Conversation(
            String id,
            PersonalityId personality,
            String user,
            String platform,
            Instant createdAt,
            String summary,
            long summaryThrough) {}

    /** A message to insert. */
    record NewMessage(
            String id,
            String conversation,
            String role,
            String content,
            String platform,
            Optional<String> externalId,
            String user,
            PersonalityId personality,
            Optional<Integer> personalityVersion,
            Map<String, Double> traits,
            Optional<String> model,
            Map<String, Object> metadata,
            Optional<String> inReplyTo,
            String state,
            Instant createdAt,
            Optional<Speaker> speaker) {}

    private static final String MESSAGE_COLUMNS =
            "seq, id, conversation_id, role, content, platform, external_id, user_id,"
                    + " personality_id, personality_version, traits, model, metadata, COALESCE(in_reply_to, alternative_to) AS in_reply_to,"
                    + " state, created_at, speaker_name, speaker_id ";

    private final Jdbi jdbi;

    ConversationRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Stores a reply and marks the user message answered, in one transaction. */
    StoredMessage insertReply(NewMessage reply, String userMessageId) {
        return insertReply(reply, userMessageId, Map.of());
    }

    /**
     * Stores a reply and marks the user message answered, in one transaction, with the tool calls the
     * reply left waiting for approval ({@code proposal id -> tool name}): their conversation goes on once
     * each is decided ({@link #continueAfter}).
     */
    StoredMessage insertReply(NewMessage reply, String userMessageId, Map<String, String> awaiting) {
        return insertReply(reply, userMessageId, awaiting, () -> {});
    }

    /**
     * Stores a reply like {@link #insertReply(NewMessage, String, Map)} and runs {@code alongside} in the same
     * transaction (what the turn's recall left to write: its statements on this thread join the transaction).
     */
    StoredMessage insertReply(
            NewMessage reply, String userMessageId, Map<String, String> awaiting, Runnable alongside) {
        return jdbi.inTransaction(h -> {
            StoredMessage stored = insertMessage(h, reply);
            markUser(h, userMessageId, "answered");
            alongside.run();
            for (Map.Entry<String, String> call : awaiting.entrySet()) {
                h.createUpdate("""
                        INSERT INTO tool_call_continuations (proposal_id, conversation_id, reply_id, tool, created_at)
                        VALUES (:proposal, :conversation, :reply, :tool, :at)""")
                        .bind("proposal", call.getKey())
                        .bind("conversation", stored.conversation())
                        .bind("reply", stored.id())
                        .bind("tool", call.getValue())
                        .bind("at", time(stored.createdAt()))
                        .execute();
            }
            return stored;
        });
    }

    /** Returns the proposals whose decision a conversation still waits for, oldest first. */
    List<String> awaitedProposals() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT proposal_id FROM tool_call_continuations WHERE continued_at IS NULL ORDER BY created_at, proposal_id")
                .mapTo(String.class)
                .list());
    }

    /**
     * Appends the outcome of the waiting tool call {@code proposal} to its conversation as a pending
     * {@code tool} message, at most once: the claim and the message are one transaction. Empty when no
     * conversation waits for this proposal (never asked, already continued, or erased).
     */
    Optional<StoredMessage> continueAfter(
            String proposal, String outcome, Map<String, Object> metadata, String messageId, Instant now) {
        return jdbi.inTransaction(h -> {
            int claimed = h.createUpdate("""
                    UPDATE tool_call_continuations SET continued_at = :at
                    WHERE proposal_id = :proposal AND continued_at IS NULL""")
                    .bind("proposal", proposal)
                    .bind("at", time(now))
                    .execute();
            if (claimed == 0) {
                return Optional.<StoredMessage>empty();
            }
            String replyId = h.createQuery("SELECT reply_id FROM tool_call_continuations WHERE proposal_id = :proposal")
                    .bind("proposal", proposal)
                    .mapTo(String.class)
                    .one();
            Optional<StoredMessage> reply = message(h, replyId);
            if (reply.isEmpty()) {
                return Optional.<StoredMessage>empty();
            }
            StoredMessage asked = reply.get();
            Map<String, Object> about = new LinkedHashMap<>(metadata);
            about.put("proposal", proposal);
            about.put("after", asked.id());
            return Optional.of(insertMessage(
                    h,
                    new NewMessage(
                            messageId,
                            asked.conversation(),
                            StoredMessage.TOOL,
                            outcome,
                            asked.platform(),
                            Optional.empty(),
                            asked.user(),
                            asked.personality(),
                            Optional.empty(),
                            Map.of(),
                            Optional.empty(),
                            about,
                            Optional.empty(),
                            "pending",
                            now,
                            Optional.empty())));
        });
    }

    /**
     * Stores an alternative reply to a user message that has its reply already (a regenerated one): it
     * is not part of the history and leaves the user message's state alone.
     */
    StoredMessage insertAlternative(NewMessage reply, String userMessageId) {
        return jdbi.inTransaction(h -> {
            StoredMessage stored = insertMessage(h, reply);
            h.createUpdate("UPDATE messages SET alternative_to = :question WHERE id = :id")
                    .bind("question", userMessageId)
                    .bind("id", stored.id())
                    .execute();
            return new StoredMessage(
                    stored.id(),
                    stored.conversation(),
                    stored.seq(),
                    stored.role(),
                    stored.content(),
                    stored.platform(),
                    stored.externalId(),
                    stored.user(),
                    stored.personality(),
                    stored.personalityVersion(),
                    stored.traits(),
                    stored.model(),
                    stored.metadata(),
                    Optional.of(userMessageId),
                    stored.state(),
                    stored.createdAt(),
                    Optional.empty());
        });
    }

    /** Returns the alternative replies in a conversation, oldest first. */
    List<StoredMessage> alternatives(String conversation) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + MESSAGE_COLUMNS
                                + " FROM messages WHERE conversation_id = :conversation AND alternative_to IS NOT NULL ORDER BY seq")
                .bind("conversation", conversation)
                .map((rs, ctx) -> readMessage(rs))
                .list());
    }

    private void insertConversation(Handle h, Conversation conversation) {
        h.createUpdate("""
                INSERT INTO conversations (id, personality_id, user_id, platform, created_at, updated_at)
                VALUES (:id, :personality, :user, :platform, :at, :at)""")
                .bind("id", conversation.id())
                .bind("personality", conversation.personality().value())
                .bind("user", conversation.user())
                .bind("platform", conversation.platform())
                .bind("at", time(conversation.createdAt()))
                .execute();
    }

    /** Inserts a message and touches its conversation; returns the stored message without reading it back. */
    private StoredMessage insertMessage(Handle h, NewMessage m) {
        // Both databases keep microseconds; truncate first so what is returned equals what a read returns.
        Instant at = m.createdAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        long seq = h.createUpdate("""
                INSERT INTO messages (id, conversation_id, role, content, platform, external_id, user_id, personality_id,
                    personality_version, traits, model, metadata, in_reply_to, state, created_at, speaker_name, speaker_id)
                VALUES (:id, :conversation, :role, :content, :platform, :externalId, :user, :personality,
                    :version, :traits, :model, :metadata, :inReplyTo, :state, :at, :speakerName, :speakerId)""")
                .bind("speakerName", m.speaker().map(Speaker::name).orElse(null))
                .bind("speakerId", m.speaker().flatMap(Speaker::id).orElse(null))
                .bind("id", m.id())
                .bind("conversation", m.conversation())
                .bind("role", m.role())
                .bind("content", m.content())
                .bind("platform", m.platform())
                .bind("externalId", m.externalId().orElse(null))
                .bind("user", m.user())
                .bind("personality", m.personality().value())
                .bind("version", m.personalityVersion().orElse(null))
                .bind("traits", Json.write(m.traits()))
                .bind("model", m.model().orElse(null))
                .bind("metadata", Json.write(m.metadata()))
                .bind("inReplyTo", m.inReplyTo().orElse(null))
                .bind("state", m.state())
                .bind("at", time(at))
                .executeAndReturnGeneratedKeys("seq")
                .mapTo(Long.class)
                .one();
        h.createUpdate("UPDATE conversations SET updated_at = :at WHERE id = :id")
                .bind("id", m.conversation())
                .bind("at", time(at))
                .execute();
        return new StoredMessage(
                m.id(),
                m.conversation(),
                seq,
                m.role(),
                m.content(),
                m.platform(),
                m.externalId(),
                m.user(),
                m.personality(),
                m.personalityVersion(),
                m.traits(),
                m.model(),
                Json.readMap(Json.write(m.metadata())),
                m.inReplyTo(),
                m.state(),
                at,
                m.speaker());
    }

    /**
     * A stored user message, or the one stored before under the same platform id; {@code greeting} is the
     * greeting stored before it when the message opened a new conversation.
     */
    record Inserted(StoredMessage message, boolean duplicate, Optional<StoredMessage> greeting) {}

    /** The greeting a new conversation opens with; asked only when the message does open one. */
    @FunctionalInterface
    interface Opening {
        /** The greeting's text (macros expanded) and the personality version it comes from; empty for none. */
        Optional<Greeting> greeting();
    }

    /** A greeting to store. */
    record Greeting(String text, int version) {}

    /**
     * A conversation and the messages before a given one (oldest first), with how many messages and
     * replies came before it in the whole conversation (summarised ones and stored greetings included,
     * alternatives not): World Info's clock.
     */
    record TurnContext(
            Conversation conversation,
            List<StoredMessage> history,
            long earlier,
            long earlierReplies,
            long alternatives) {}

    /**
     * Stores a user message in one transaction: returns the earlier message when the platform sent
     * this external id before; otherwise continues the requested conversation (after {@code check}
     * accepted it), or the latest one of this platform user (platforms only), or starts a new one.
     */
    Inserted insertUserMessage(
            ChatRequest request,
            PersonalityId personality,
            String text,
            Map<String, Object> metadata,
            Instant now,
            java.util.function.Supplier<String> ids,
            java.util.function.Consumer<Optional<Conversation>> check,
            Opening opening) {
        return jdbi.inTransaction(h -> {
            if (request.externalId().isPresent()) {
                Optional<StoredMessage> known =
                        byExternalId(h, request.platform(), request.externalId().get());
                if (known.isPresent()) {
                    return new Inserted(known.get(), true, Optional.empty());
                }
            }
            Optional<Conversation> existing = Optional.empty();
            if (request.thread().isPresent()) {
                // A group chat or thread: one conversation per (platform, personality, thread), whoever writes.
                existing = threadConversation(
                        h, request.platform(), request.thread().get(), personality);
            } else if (request.conversation().isPresent()) {
                existing = conversation(h, request.conversation().get());
                check.accept(existing);
            } else if (!ChatRequest.API.equals(request.platform())) {
                existing = latestConversation(h, request.platform(), request.user(), personality);
            }
            String conversationId = existing.map(Conversation::id).orElseGet(ids);
            if (existing.isEmpty() && request.thread().isPresent()) {
                insertThreadConversation(
                        h,
                        new Conversation(
                                conversationId,
                                personality,
                                ChatRequest.threadOwner(
                                        request.platform(), request.thread().get()),
                                request.platform(),
                                now,
                                "",
                                0),
                        request.thread().get());
            } else if (existing.isEmpty()) {
                insertConversation(
                        h,
                        new Conversation(conversationId, personality, request.user(), request.platform(), now, "", 0));
            }
            // A new conversation opens with the personality's greeting, stored as its first message (as
            // SillyTavern opens a chat with first_mes): every model, export and reader sees the same history.
            Optional<StoredMessage> greeting = existing.isPresent()
                    ? Optional.empty()
                    : opening.greeting()
                            .map(g -> insertMessage(
                                    h,
                                    new NewMessage(
                                            ids.get(),
                                            conversationId,
                                            StoredMessage.ASSISTANT,
                                            g.text(),
                                            request.platform(),
                                            Optional.empty(),
                                            request.user(),
                                            personality,
                                            Optional.of(g.version()),
                                            Map.of(),
                                            Optional.empty(),
                                            Map.of("greeting", true),
                                            Optional.empty(),
                                            "complete",
                                            now,
                                            Optional.empty())));
            return new Inserted(
                    insertMessage(
                            h,
                            new NewMessage(
                                    ids.get(),
                                    conversationId,
                                    StoredMessage.USER,
                                    text,
                                    request.platform(),
                                    request.externalId(),
                                    request.user(),
                                    personality,
                                    Optional.empty(),
                                    Map.of(),
                                    Optional.empty(),
                                    metadata,
                                    Optional.empty(),
                                    "pending",
                                    now,
                                    request.speaker())),
                    false,
                    greeting);
        });
    }

    /**
     * Returns the message's conversation and up to {@code limit} unsummarised messages before it, with
     * one connection. The history messages carry no traits and metadata (left empty): a prompt needs
     * only who said what, and parsing them for every turn would cost more than the rest of the read.
     */
    TurnContext turnContext(StoredMessage message, int limit) {
        return jdbi.withHandle(h -> {
            Conversation conversation = conversation(h, message.conversation()).orElseThrow();
            List<StoredMessage> newestFirst = h.createQuery("""
                    SELECT seq, id, conversation_id, role, content, platform, external_id, user_id, personality_id,
                        personality_version, model, in_reply_to, state, created_at, speaker_name, speaker_id
                    FROM messages WHERE conversation_id = :conversation AND seq > :after AND seq < :before
                        AND alternative_to IS NULL
                    ORDER BY seq DESC LIMIT :limit""")
                    .bind("conversation", conversation.id())
                    .bind("after", conversation.summaryThrough())
                    .bind("before", message.seq())
                    .bind("limit", limit)
                    .map((rs, ctx) -> readMessage(rs, false))
                    .list();
            List<StoredMessage> history = new ArrayList<>(newestFirst);
            Collections.reverse(history);
            var counts = h.createQuery("""
                    SELECT COUNT(*) AS earlier,
                        COALESCE(SUM(CASE WHEN role = 'assistant' THEN 1 ELSE 0 END), 0) AS replies
                    FROM messages WHERE conversation_id = :conversation AND seq < :before AND alternative_to IS NULL""")
                    .bind("conversation", conversation.id())
                    .bind("before", message.seq())
                    .map((rs, ctx) -> new long[] {rs.getLong("earlier"), rs.getLong("replies")})
                    .one();
            long alternatives = h.createQuery("SELECT COUNT(*) FROM messages WHERE alternative_to = :message")
                    .bind("message", message.id())
                    .mapTo(Long.class)
                    .one();
            return new TurnContext(conversation, history, counts[0], counts[1], alternatives);
        });
    }

    Optional<Conversation> conversation(String id) {
        return jdbi.withHandle(h -> conversation(h, id));
    }

    private Optional<Conversation> conversation(Handle h, String id) {
        return h.createQuery("SELECT * FROM conversations WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> readConversation(rs))
                .findOne();
    }

    /** A conversation as its user's list shows it: identity, last activity, how it began, message count. */
    record Listed(
            String id,
            PersonalityId personality,
            String user,
            String platform,
            Instant createdAt,
            Instant updatedAt,
            String title,
            int messages) {}

    /** Returns a user's conversations, most recently active first, optionally with one personality only. */
    List<Listed> conversationsOf(String user, Optional<PersonalityId> personality, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT c.id, c.personality_id, c.user_id, c.platform, c.created_at, c.updated_at,
                  (SELECT m.content FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user'
                     ORDER BY m.seq LIMIT 1) AS title,
                  (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count
                FROM conversations c WHERE c.user_id = :user AND (:personality = '' OR c.personality_id = :personality)
                ORDER BY c.updated_at DESC, c.id DESC LIMIT :limit""")
                .bind("user", user)
                .bind("personality", personality.map(PersonalityId::value).orElse(""))
                .bind("limit", limit)
                .map((rs, ctx) -> new Listed(
                        rs.getString("id"),
                        PersonalityId.of(rs.getString("personality_id")),
                        rs.getString("user_id"),
                        rs.getString("platform"),
                        instant(rs, "created_at"),
                        instant(rs, "updated_at"),
                        rs.getString("title") == null ? "" : rs.getString("title"),
                        rs.getInt("message_count")))
                .list());
    }

    private Optional<Conversation> threadConversation(
            Handle h, String platform, String thread, PersonalityId personality) {
        return h.createQuery("""
                SELECT * FROM conversations WHERE platform = :platform AND personality_id = :personality
                AND thread_key = :thread""")
                .bind("platform", platform)
                .bind("personality", personality.value())
                .bind("thread", thread)
                .map((rs, ctx) -> readConversation(rs))
                .findOne();
    }

    /**
     * Inserts a group chat's conversation; (platform, personality, thread) is unique, so of two hosts
     * starting the same thread at once one fails, and its caller retries into the winner's conversation.
     */
    private void insertThreadConversation(Handle h, Conversation conversation, String thread) {
        h.createUpdate("""
                INSERT INTO conversations (id, personality_id, user_id, platform, created_at, updated_at, thread_key)
                VALUES (:id, :personality, :user, :platform, :at, :at, :thread)""")
                .bind("id", conversation.id())
                .bind("personality", conversation.personality().value())
                .bind("user", conversation.user())
                .bind("platform", conversation.platform())
                .bind("at", time(conversation.createdAt()))
                .bind("thread", thread)
                .execute();
    }

    private Optional<Conversation> latestConversation(
            Handle h, String platform, String user, PersonalityId personality) {
        return h.createQuery("""
                SELECT * FROM conversations WHERE platform = :platform AND user_id = :user AND personality_id = :personality
                ORDER BY updated_at DESC, id DESC LIMIT 1""")
                .bind("platform", platform)
                .bind("user", user)
                .bind("personality", personality.value())
                .map((rs, ctx) -> readConversation(rs))
                .findOne();
    }

    Optional<StoredMessage> message(String id) {
        return jdbi.withHandle(h -> message(h, id));
    }

    private Optional<StoredMessage> message(Handle h, String id) {
        return h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> readMessage(rs))
                .findOne();
    }

    Optional<StoredMessage> byExternalId(String platform, String externalId) {
        return jdbi.withHandle(h -> byExternalId(h, platform, externalId));
    }

    private Optional<StoredMessage> byExternalId(Handle h, String platform, String externalId) {
        return h.createQuery("SELECT " + MESSAGE_COLUMNS
                        + " FROM messages WHERE platform = :platform AND external_id = :externalId")
                .bind("platform", platform)
                .bind("externalId", externalId)
                .map((rs, ctx) -> readMessage(rs))
                .findOne();
    }

    Optional<StoredMessage> replyTo(String userMessageId) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE in_reply_to = :id")
                        .bind("id", userMessageId)
                        .map((rs, ctx) -> readMessage(rs))
                        .findOne());
    }

    /** Returns up to {@code limit} messages with seq above {@code after}, oldest first. */
    List<StoredMessage> page(String conversation, long after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + MESSAGE_COLUMNS + """
                 FROM messages WHERE conversation_id = :conversation AND seq > :after AND alternative_to IS NULL
                 ORDER BY seq LIMIT :limit""")
                .bind("conversation", conversation)
                .bind("after", after)
                .bind("limit", limit)
                .map((rs, ctx) -> readMessage(rs))
                .list());
    }

    /** Counts the messages with seq in (after, before). */
    int count(String conversation, long after, long before) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM messages WHERE conversation_id = :conversation AND seq > :after AND seq < :before"
                                + " AND alternative_to IS NULL")
                .bind("conversation", conversation)
                .bind("after", after)
                .bind("before", before)
                .mapTo(Integer.class)
                .one());
    }

    private void markUser(Handle h, String id, String state) {
        h.createUpdate("UPDATE messages SET state = :state WHERE id = :id AND role = 'user'")
                .bind("id", id)
                .bind("state", state)
                .execute();
    }

    void markUser(String id, String state) {
        jdbi.useHandle(h -> markUser(h, id, state));
    }

    void reopen(String id) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE messages SET state = 'pending' WHERE id = :id AND role = 'user' AND state = 'failed'")
                .bind("id", id)
                .execute());
    }

    /** Replaces the summary if nobody else advanced it meanwhile; returns whether it did. */
    boolean advanceSummary(String conversation, long expectedThrough, long newThrough, String summary) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE conversations SET summary = :summary, summary_through = :through
                WHERE id = :id AND summary_through = :expected""")
                        .bind("id", conversation)
                        .bind("summary", summary)
                        .bind("through", newThrough)
                        .bind("expected", expectedThrough)
                        .execute())
                == 1;
    }

    /**
     * Marks {@code failed} the user messages of {@code platform} still {@code pending} that were stored
     * before {@code cutoff}: turns a crash interrupted. Returns how many.
     */
    int failPending(String platform, Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE messages SET state = 'failed'
                WHERE state = 'pending' AND role = 'user' AND platform = :platform AND created_at < :cutoff""")
                .bind("platform", platform)
                .bind("cutoff", time(cutoff))
                .execute());
    }

    /** Returns user messages still waiting for a reply, from platforms other than {@code excluded}, oldest first. */
    List<StoredMessage> pending(String excludedPlatform, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + MESSAGE_COLUMNS + """
                 FROM messages WHERE state = 'pending' AND role = 'user' AND platform <> :excluded ORDER BY seq LIMIT :limit""")
                .bind("excluded", excludedPlatform)
                .bind("limit", limit)
                .map((rs, ctx) -> readMessage(rs))
                .list());
    }

    /** Returns every conversation of {@code user}, on every platform, oldest first (for a person's export). */
    List<Conversation> conversationsOf(String user) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM conversations WHERE user_id = :user ORDER BY created_at, id")
                        .bind("user", user)
                        .map((rs, ctx) -> readConversation(rs))
                        .list());
    }

    /** Returns every message of a conversation, alternatives included, oldest first (for a person's export). */
    List<StoredMessage> allMessages(String conversation) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + MESSAGE_COLUMNS
                        + " FROM messages WHERE conversation_id = :conversation ORDER BY seq")
                .bind("conversation", conversation)
                .map((rs, ctx) -> readMessage(rs))
                .list());
    }

    /** Returns the ids of every message of {@code user}'s conversations and of every message stored for {@code user}. */
    List<String> messageIdsOf(String user) {
        return jdbi.withHandle(
                h -> h.createQuery("""
                        SELECT id FROM messages WHERE user_id = :user
                        OR conversation_id IN (SELECT id FROM conversations WHERE user_id = :user) ORDER BY seq""").bind("user", user).mapTo(String.class).list());
    }

    /**
     * Deletes every conversation of {@code user} and every message stored for them (the OpenAI-door
     * threads go with their conversations), in one transaction; returns the erased conversations' ids
     * and the number of messages.
     */
    Erased eraseUser(String user) {
        return jdbi.inTransaction(h -> {
            List<String> conversations = h.createQuery("SELECT id FROM conversations WHERE user_id = :user")
                    .bind("user", user)
                    .mapTo(String.class)
                    .list();
            int messages = h.createUpdate("""
                            DELETE FROM messages WHERE user_id = :user
                            OR conversation_id IN (SELECT id FROM conversations WHERE user_id = :user)""").bind("user", user).execute();
            h.createUpdate(
                            "DELETE FROM openai_threads WHERE conversation_id IN (SELECT id FROM conversations WHERE user_id = :user)")
                    .bind("user", user)
                    .execute();
            h.createUpdate("DELETE FROM conversations WHERE user_id = :user")
                    .bind("user", user)
                    .execute();
            return new Erased(List.copyOf(conversations), messages);
        });
    }

    /** What {@link #eraseUser} removed. */
    record Erased(List<String> conversations, int messages) {}

    private static Conversation readConversation(ResultSet rs) throws SQLException {
        return new Conversation(
                rs.getString("id"),
                PersonalityId.of(rs.getString("personality_id")),
                rs.getString("user_id"),
                rs.getString("platform"),
                instant(rs, "created_at"),
                rs.getString("summary"),
                rs.getLong("summary_through"));
    }

    private static StoredMessage readMessage(ResultSet rs) throws SQLException {
        return readMessage(rs, true);
    }

    private static StoredMessage readMessage(ResultSet rs, boolean details) throws SQLException {
        int version = rs.getInt("personality_version");
        Optional<Integer> personalityVersion = rs.wasNull() ? Optional.empty() : Optional.of(version);
        return new StoredMessage(
                rs.getString("id"),
                rs.getString("conversation_id"),
                rs.getLong("seq"),
                rs.getString("role"),
                rs.getString("content"),
                rs.getString("platform"),
                Optional.ofNullable(rs.getString("external_id")),
                rs.getString("user_id"),
                PersonalityId.of(rs.getString("personality_id")),
                personalityVersion,
                details ? traits(rs.getString("traits")) : Map.of(),
                Optional.ofNullable(rs.getString("model")),
                details ? Json.readMap(rs.getString("metadata")) : Map.of(),
                Optional.ofNullable(rs.getString("in_reply_to")),
                rs.getString("state"),
                instant(rs, "created_at"),
                speaker(rs.getString("speaker_name"), rs.getString("speaker_id")));
    }

    private static Optional<Speaker> speaker(
            @org.jspecify.annotations.Nullable String name, @org.jspecify.annotations.Nullable String id) {
        return name == null ? Optional.empty() : Optional.of(new Speaker(name, Optional.ofNullable(id)));
    }

    private static Map<String, Double> traits(String json) {
        Map<String, Double> traits = new LinkedHashMap<>();
        Json.readMap(json).forEach((name, value) -> {
            if (value instanceof Number number) {
                traits.put(name, number.doubleValue());
            }
        });
        return traits;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
