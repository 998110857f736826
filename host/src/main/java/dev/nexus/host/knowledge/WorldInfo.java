package dev.nexus.host.knowledge;

import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.host.llm.TokenEstimate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which lore entries a turn activates, with SillyTavern's World Info semantics (its public
 * documentation, see {@code docs/world-info.md}): scans in steps, the first over the chat (and any
 * additional sources an entry asks for), each later one also over the content of the entries the step
 * before activated (recursion), until nothing new activates, the budget overflows or
 * {@code maxSteps} steps ran. Per entry it honours disabled, triggers, timed effects (delay, cooldown,
 * sticky), the recursion controls, decorators, constant, primary keys with the secondary-key logic,
 * then per step inclusion groups (sticky, scoring, override, weight), probability, and the token
 * budget taken in order (sticky, then constant, then higher {@code order} first; entries of an
 * earlier step before later ones; {@code ignore_budget} entries always). Randomness comes only from
 * the turn's seed, so a turn can be replayed. Stateless and thread-safe.
 */
final class WorldInfo {

    /** Why an entry fired or did not, for the reply's metadata. */
    enum Reason {
        KEY,
        CONSTANT,
        STICKY,
        DECORATOR,
        BUDGET,
        PROBABILITY,
        GROUP,
        COOLDOWN,
        DELAY,
        SCAN_DEPTH,
        TRIGGER,
        RECURSION;

        String label() {
            return switch (this) {
                case SCAN_DEPTH -> "scanDepth";
                default -> name().toLowerCase(Locale.ROOT);
            };
        }
    }

    /**
     * One book taking part in a turn.
     *
     * @param pack the compiled pack (its entries and book settings)
     * @param active whether its constant entries may activate (the pack is active for the turn)
     */
    record Book(CompiledPack pack, boolean active) {}

    /**
     * The timed-effect state of one entry in one conversation, in chat positions (messages).
     *
     * @param activatedAt the chat length when the entry last activated
     * @param stickyUntil the last chat length the entry stays active at (= activatedAt without sticky)
     * @param cooldownUntil the last chat length the entry cannot activate at (= stickyUntil without cooldown)
     */
    record Timed(long activatedAt, long stickyUntil, long cooldownUntil) {}

    /**
     * What one turn gives the engine.
     *
     * @param messages the scanned messages, newest first (the new message first)
     * @param sources additional texts entries may ask to scan ({@code description}, {@code personality},
     *     {@code scenario}, {@code depth_prompt}, {@code creator_notes})
     * @param kind the generation type: {@code normal}, {@code regenerate}, {@code swipe}, {@code continue},
     *     {@code impersonate} or {@code quiet}; a Nexus regeneration counts as both regenerate and swipe
     * @param chatLength messages in the chat at evaluation, the new one included
     * @param assistantMessages replies in the chat so far (for {@code @@activate_only_after/every})
     * @param seed the seed of the turn's random draws
     * @param timed the conversation's timed-effect state by entry key ({@code book/entry})
     * @param budget tokens the activated entries may take
     * @param scanDepth messages scanned by default
     * @param maxSteps the most scan steps (1 = no recursion)
     */
    record Turn(
            List<String> messages,
            Map<String, String> sources,
            String kind,
            long chatLength,
            long assistantMessages,
            long seed,
            Map<String, Timed> timed,
            int budget,
            int scanDepth,
            int maxSteps) {
        Turn {
            messages = List.copyOf(messages);
            sources = Map.copyOf(sources);
            timed = Map.copyOf(timed);
        }
    }

    /**
     * An entry that fired.
     *
     * @param book the book id
     * @param entry the entry
     * @param reason why: key, constant, sticky or decorator
     * @param detail the key that matched, or the decorator
     * @param step the scan step (1 = the chat; 2 and later = recursion)
     * @param text the text to insert (decorators removed; cut when {@code truncated})
     * @param tokens the estimated tokens of {@code text}
     * @param truncated whether the text was cut to fit the budget
     */
    record Fired(
            String book,
            CompiledPack.CompiledEntry entry,
            Reason reason,
            String detail,
            int step,
            String text,
            int tokens,
            boolean truncated) {
        String key() {
            return book + "/" + entry.id();
        }
    }

    /**
     * A candidate that did not fire.
     *
     * @param book the book id
     * @param entry the entry id
     * @param reason why not
     * @param detail more words (the roll, the group, the step)
     */
    record Skipped(String book, String entry, Reason reason, String detail) {}

    /**
     * What a turn activated.
     *
     * @param fired the entries that fired, in the order they took the budget
     * @param skipped candidates that did not, with the reason
     * @param timed new timed-effect state for entries that activated now (entries whose sticky was
     *     already running keep theirs)
     * @param steps scan steps run
     */
    record Result(List<Fired> fired, List<Skipped> skipped, Map<String, Timed> timed, int steps) {}

    private enum State {
        INITIAL,
        RECURSION
    }

    private record Entry(Book book, CompiledPack.CompiledEntry compiled, int index) {
        String key() {
            return book.pack().pack().id() + "/" + compiled.id();
        }

        EntryRules rules() {
            return compiled.rules();
        }

        LoreEntry lore() {
            return compiled.entry();
        }
    }

    private record Hit(Entry entry, Reason reason, String detail, int score, boolean sticky) {}

    /** Runs the engine over {@code books} for {@code turn}. */
    Result run(List<Book> books, Turn turn) {
        return new Run(books, turn).execute();
    }

    /** One evaluation; confined to the calling thread. */
    private static final class Run {

        private final Turn turn;
        private final List<Entry> sorted = new ArrayList<>();
        private final SplittableRandom random;
        private final Map<String, Fired> fired = new LinkedHashMap<>();
        private final Map<String, Skipped> skipped = new LinkedHashMap<>();
        private final Set<String> failedProbability = new HashSet<>();
        private final List<String[]> recursion = new ArrayList<>();
        private final Map<String, Integer> bookUsed = new LinkedHashMap<>();
        private final Set<String> bookOverflowed = new HashSet<>();
        private final List<String> lowerMessages;
        private final Map<String, String> lowerSources = new LinkedHashMap<>();
        private int used;
        private boolean overflowed;

        Run(List<Book> books, Turn turn) {
            this.turn = turn;
            this.random = new SplittableRandom(turn.seed());
            int index = 0;
            for (Book book : books) {
                for (CompiledPack.CompiledEntry compiled : book.pack().entries()) {
                    sorted.add(new Entry(book, compiled, index++));
                }
            }
            // Higher order first (it takes the budget first); ties keep the books' and entries' order.
            sorted.sort(Comparator.comparingInt((Entry e) -> -e.lore().insertionOrder())
                    .thenComparingInt(Entry::index));
            lowerMessages = turn.messages().stream()
                    .map(m -> m.toLowerCase(Locale.ROOT))
                    .toList();
            turn.sources().forEach((name, text) -> lowerSources.put(name, text.toLowerCase(Locale.ROOT)));
        }

        Result execute() {
            TreeSet<Integer> levels = new TreeSet<>();
            sorted.forEach(e -> {
                if (e.rules().delayUntilRecursion() > 0) {
                    levels.add(e.rules().delayUntilRecursion());
                }
            });
            int level = levels.isEmpty() ? 0 : levels.pollFirst();
            State state = State.INITIAL;
            int step = 0;
            while (state != null && step < Math.max(1, turn.maxSteps())) {
                step++;
                List<Hit> now = scan(state, level, step);
                now = groups(now, step);
                List<String> forRecursion = new ArrayList<>();
                for (Hit hit : now) {
                    Optional<Fired> done = insert(hit, step);
                    if (done.isPresent()
                            && !hit.entry().rules().preventRecursion()
                            && hit.entry().book().pack().book().recursiveScanning()) {
                        forRecursion.add(done.get().text());
                    }
                }
                State next = null;
                boolean recursive =
                        sorted.stream().anyMatch(e -> e.book().pack().book().recursiveScanning());
                if (recursive && !overflowed && !forRecursion.isEmpty()) {
                    next = State.RECURSION;
                } else if (recursive && !overflowed && !levels.isEmpty()) {
                    next = State.RECURSION;
                    level = levels.pollFirst();
                }
                forRecursion.forEach(text -> recursion.add(new String[] {text, text.toLowerCase(Locale.ROOT)}));
                state = next;
            }
            // Delayed-until-recursion entries whose keys are in the chat but whose level never came.
            for (Entry entry : sorted) {
                if (entry.rules().delayUntilRecursion() > 0
                        && !fired.containsKey(entry.key())
                        && !skipped.containsKey(entry.key())
                        && keyMatch(entry, State.INITIAL).isPresent()) {
                    skip(
                            entry,
                            Reason.RECURSION,
                            "waits for recursion level " + entry.rules().delayUntilRecursion()
                                    + ", which this turn did not reach");
                }
            }
            Map<String, Timed> timed = new LinkedHashMap<>();
            for (Fired f : fired.values()) {
                EntryRules rules = f.entry().rules();
                boolean keep = rules.has("keep_activate_after_match");
                boolean never = rules.has("dont_activate_after_match");
                if (rules.sticky() == 0 && rules.cooldown() == 0 && !keep && !never) {
                    continue;
                }
                if (f.reason() == Reason.STICKY) {
                    continue; // a running effect is not refreshed
                }
                long at = turn.chatLength();
                long stickyUntil = keep ? Long.MAX_VALUE : at + rules.sticky();
                long cooldownUntil = never ? Long.MAX_VALUE : keep ? stickyUntil : stickyUntil + rules.cooldown();
                timed.put(f.key(), new Timed(at, stickyUntil, cooldownUntil));
            }
            return new Result(List.copyOf(fired.values()), List.copyOf(skipped.values()), timed, step);
        }

        /** The timed state of an entry that still counts at this chat length (not set at it or later). */
        private Optional<Timed> timed(Entry entry) {
            Timed t = turn.timed().get(entry.key());
            return t != null && t.activatedAt() < turn.chatLength() ? Optional.of(t) : Optional.empty();
        }

        private boolean sticky(Entry entry) {
            return timed(entry)
                    .filter(t -> turn.chatLength() <= t.stickyUntil())
                    .isPresent();
        }

        private boolean cooling(Entry entry) {
            return timed(entry)
                    .filter(t -> turn.chatLength() > t.stickyUntil() && turn.chatLength() <= t.cooldownUntil())
                    .isPresent();
        }

        private boolean triggered(EntryRules rules) {
            if (rules.triggers().isEmpty()) {
                return true;
            }
            String kind = turn.kind();
            return rules.triggers().contains(kind)
                    || kind.equals("regenerate") && rules.triggers().contains("swipe");
        }

        private List<Hit> scan(State state, int level, int step) {
            List<Hit> now = new ArrayList<>();
            for (Entry entry : sorted) {
                String key = entry.key();
                if (fired.containsKey(key) || failedProbability.contains(key)) {
                    continue;
                }
                EntryRules rules = entry.rules();
                boolean sticky = sticky(entry);
                if (!triggered(rules)) {
                    reportIfCandidate(
                            entry,
                            state,
                            Reason.TRIGGER,
                            "fires only on " + String.join(", ", rules.triggers()) + ", this turn is " + turn.kind());
                    continue;
                }
                if (turn.chatLength() < rules.delay()) {
                    reportIfCandidate(
                            entry,
                            state,
                            Reason.DELAY,
                            "needs " + rules.delay() + " messages in the chat, it has " + turn.chatLength());
                    continue;
                }
                if (!decoratorAllows(entry, state)) {
                    continue;
                }
                if (cooling(entry) && !sticky) {
                    reportIfCandidate(
                            entry,
                            state,
                            Reason.COOLDOWN,
                            "cooling down until the chat has "
                                    + timed(entry)
                                            .map(t -> t.cooldownUntil() == Long.MAX_VALUE
                                                    ? "no end"
                                                    : String.valueOf(t.cooldownUntil() + 1))
                                            .orElse("?")
                                    + " messages");
                    continue;
                }
                if (state == State.INITIAL && rules.delayUntilRecursion() > 0 && !sticky) {
                    continue;
                }
                if (state == State.RECURSION && rules.delayUntilRecursion() > level && !sticky) {
                    continue;
                }
                if (state == State.RECURSION
                        && (rules.excludeRecursion()
                                || !entry.book().pack().book().recursiveScanning())
                        && !sticky) {
                    continue;
                }
                if (rules.has("activate")) {
                    // Like a constant entry: only while its pack is active (packs are shared by personalities).
                    if (entry.book().active()) {
                        now.add(new Hit(entry, Reason.DECORATOR, "@@activate", 0, sticky));
                    }
                    continue;
                }
                if (rules.has("dont_activate")) {
                    reportIfCandidate(entry, state, Reason.DECORATOR, "@@dont_activate");
                    continue;
                }
                if (entry.lore().constant()) {
                    if (entry.book().active()) {
                        now.add(new Hit(entry, Reason.CONSTANT, "constant", 0, sticky));
                    }
                    continue;
                }
                if (sticky) {
                    now.add(new Hit(
                            entry,
                            Reason.STICKY,
                            "sticky until the chat has "
                                    + timed(entry)
                                            .map(t -> t.stickyUntil() == Long.MAX_VALUE
                                                    ? "no end"
                                                    : String.valueOf(t.stickyUntil()))
                                            .orElse("?")
                                    + " messages",
                            0,
                            true));
                    continue;
                }
                Optional<Hit> hit = keyMatch(entry, state);
                if (hit.isPresent()) {
                    now.add(hit.get());
                } else if (state == State.INITIAL) {
                    beyondDepth(entry);
                }
            }
            // Sticky entries take the budget first, then constant ones, then the rest in the engine's order.
            List<Hit> ordered = new ArrayList<>(now);
            ordered.sort(Comparator.comparingInt((Hit h) -> h.sticky() ? 0 : h.reason() == Reason.CONSTANT ? 1 : 2));
            return ordered;
        }

        /** Applies the V3 decorators that restrict when an entry may activate. */
        private boolean decoratorAllows(Entry entry, State state) {
            EntryRules rules = entry.rules();
            var after = rules.number("activate_only_after");
            if (after.isPresent() && turn.assistantMessages() < after.getAsInt()) {
                reportIfCandidate(entry, state, Reason.DECORATOR, "@@activate_only_after " + after.getAsInt());
                return false;
            }
            var every = rules.number("activate_only_every");
            if (every.isPresent() && every.getAsInt() > 0 && turn.assistantMessages() % every.getAsInt() != 0) {
                reportIfCandidate(entry, state, Reason.DECORATOR, "@@activate_only_every " + every.getAsInt());
                return false;
            }
            var greeting = rules.number("is_greeting");
            if (greeting.isPresent() && greeting.getAsInt() != 0) {
                reportIfCandidate(
                        entry,
                        state,
                        Reason.DECORATOR,
                        "@@is_greeting " + greeting.getAsInt() + " (conversations here open with greeting 0)");
                return false;
            }
            return true;
        }

        /** Records {@code reason} for an entry that would otherwise have activated (first pass only). */
        private void reportIfCandidate(Entry entry, State state, Reason reason, String detail) {
            if (state != State.INITIAL || skipped.containsKey(entry.key())) {
                return;
            }
            boolean candidate = entry.rules().has("activate") && entry.book().active()
                    || sticky(entry)
                    || entry.lore().constant() && entry.book().active()
                    || keyMatch(entry, State.INITIAL).isPresent();
            if (candidate) {
                skip(entry, reason, detail);
            }
        }

        /** Notes an entry whose key is in the chat, but further back than it scans. */
        private void beyondDepth(Entry entry) {
            int depth = depth(entry);
            if (entry.compiled().primary().isEmpty() || depth >= turn.messages().size()) {
                return;
            }
            for (int i = depth; i < turn.messages().size(); i++) {
                for (LoreKey key : entry.compiled().primary()) {
                    if (key.matches(turn.messages().get(i), lowerMessages.get(i))) {
                        skip(
                                entry,
                                Reason.SCAN_DEPTH,
                                "key '" + key + "' is " + (i + 1) + " messages back; the entry scans " + depth);
                        return;
                    }
                }
            }
        }

        private int depth(Entry entry) {
            if (entry.rules().scanDepth().isPresent()) {
                return Math.max(0, entry.rules().scanDepth().getAsInt());
            }
            var book = entry.book().pack().book().scanDepth();
            return book.isPresent() ? book.getAsInt() : turn.scanDepth();
        }

        /** The texts an entry scans at this state: its messages, its extra sources, and in recursion the activated content. */
        private List<String[]> texts(Entry entry, State state) {
            List<String[]> texts = new ArrayList<>();
            int depth = Math.min(depth(entry), turn.messages().size());
            for (int i = 0; i < depth; i++) {
                texts.add(new String[] {turn.messages().get(i), lowerMessages.get(i)});
            }
            for (String source : entry.rules().sources()) {
                String text = turn.sources().get(source);
                if (text != null && !text.isEmpty()) {
                    texts.add(new String[] {text, lowerSources.get(source)});
                }
            }
            if (state == State.RECURSION) {
                texts.addAll(recursion);
            }
            return texts;
        }

        private static boolean any(LoreKey key, List<String[]> texts) {
            for (String[] text : texts) {
                if (key.matches(text[0], text[1])) {
                    return true;
                }
            }
            return false;
        }

        /** Primary keys, then the secondary-key logic and the key decorators; the score counts matched keys. */
        private Optional<Hit> keyMatch(Entry entry, State state) {
            CompiledPack.CompiledEntry compiled = entry.compiled();
            if (compiled.primary().isEmpty()) {
                return Optional.empty();
            }
            List<String[]> texts = texts(entry, state);
            if (texts.isEmpty()) {
                return Optional.empty();
            }
            String first = null;
            int score = 0;
            for (LoreKey key : compiled.primary()) {
                if (any(key, texts)) {
                    score++;
                    first = first == null ? key.toString() : first;
                }
            }
            if (first == null) {
                return Optional.empty();
            }
            LoreEntry lore = compiled.entry();
            if (lore.selective() && compiled.secondaryTotal() > 0) {
                int matched = (int)
                        compiled.secondary().stream().filter(k -> any(k, texts)).count();
                int all = compiled.secondaryTotal();
                boolean pass = switch (lore.logic()) {
                    case AND_ANY -> matched > 0;
                    case NOT_ALL -> matched < all;
                    case NOT_ANY -> matched == 0;
                    case AND_ALL -> matched == all;
                };
                if (!pass) {
                    return Optional.empty();
                }
                score += switch (lore.logic()) {
                    case AND_ANY -> matched;
                    case AND_ALL -> matched;
                    default -> 0;
                };
            }
            if (!compiled.additional().isEmpty()
                    && compiled.additional().stream().noneMatch(k -> any(k, texts))) {
                return Optional.empty();
            }
            if (compiled.excluded().stream().anyMatch(k -> any(k, texts))) {
                return Optional.empty();
            }
            return Optional.of(new Hit(entry, Reason.KEY, first, score, false));
        }

        /** Resolves inclusion groups among this step's hits. */
        private List<Hit> groups(List<Hit> hits, int step) {
            Map<String, List<Hit>> grouped = new TreeMap<>();
            for (Hit hit : hits) {
                for (String group : hit.entry().rules().groups()) {
                    grouped.computeIfAbsent(group, g -> new ArrayList<>()).add(hit);
                }
            }
            if (grouped.isEmpty()) {
                return hits;
            }
            Set<Hit> removed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Map.Entry<String, List<Hit>> group : grouped.entrySet()) {
                String name = group.getKey();
                List<Hit> members = group.getValue().stream()
                        .filter(h -> !removed.contains(h))
                        .toList();
                if (members.isEmpty()) {
                    continue;
                }
                boolean earlier = fired.values().stream()
                        .anyMatch(f -> f.entry().rules().groups().contains(name));
                if (earlier) {
                    members.forEach(
                            h -> lose(h, removed, "group '" + name + "' already has an entry from an earlier step"));
                    continue;
                }
                if (members.size() == 1) {
                    continue;
                }
                List<Hit> stickyOnes = members.stream().filter(Hit::sticky).toList();
                if (!stickyOnes.isEmpty()) {
                    Hit winner = stickyOnes.getFirst();
                    members.stream()
                            .filter(h -> h != winner)
                            .forEach(h -> lose(
                                    h,
                                    removed,
                                    "group '" + name + "': sticky entry "
                                            + winner.entry().compiled().id() + " stays"));
                    continue;
                }
                List<Hit> contenders = members;
                boolean scoring = members.stream()
                        .anyMatch(h -> h.entry()
                                .rules()
                                .groupScoring()
                                .orElse(h.entry().book().pack().book().groupScoring()));
                if (scoring) {
                    int best = members.stream().mapToInt(Hit::score).max().orElse(0);
                    contenders = members.stream().filter(h -> h.score() == best).toList();
                    members.stream()
                            .filter(h -> h.score() < best)
                            .forEach(h -> lose(
                                    h,
                                    removed,
                                    "group '" + name + "' scoring: " + h.score() + " key matches, the best had "
                                            + best));
                }
                List<Hit> overriding = contenders.stream()
                        .filter(h -> h.entry().rules().groupOverride())
                        .toList();
                Hit winner;
                String how;
                if (!overriding.isEmpty()) {
                    winner = overriding.stream()
                            .max(Comparator.comparingInt(
                                            (Hit h) -> h.entry().lore().insertionOrder())
                                    .thenComparingInt(h -> -h.entry().index()))
                            .orElseThrow();
                    how = "prioritized " + winner.entry().compiled().id() + " (highest order)";
                } else {
                    winner = weighted(contenders);
                    how = "weighted draw chose " + winner.entry().compiled().id();
                }
                for (Hit h : contenders) {
                    if (h != winner) {
                        lose(h, removed, "group '" + name + "': " + how);
                    }
                }
            }
            return hits.stream().filter(h -> !removed.contains(h)).toList();
        }

        private Hit weighted(List<Hit> contenders) {
            long total = contenders.stream()
                    .mapToLong(h -> h.entry().rules().groupWeight())
                    .sum();
            if (total <= 0) {
                return contenders.getFirst();
            }
            double roll = random.nextDouble() * total;
            double sum = 0;
            for (Hit h : contenders) {
                sum += h.entry().rules().groupWeight();
                if (roll < sum) {
                    return h;
                }
            }
            return contenders.getLast();
        }

        private void lose(Hit hit, Set<Hit> removed, String detail) {
            removed.add(hit);
            skip(hit.entry(), Reason.GROUP, detail);
        }

        /** Probability, then the budget; returns what fired. */
        private Optional<Fired> insert(Hit hit, int step) {
            Entry entry = hit.entry();
            EntryRules rules = entry.rules();
            if (!hit.sticky() && rules.useProbability() && rules.probability() < 100) {
                double roll = rules.probability() <= 0 ? 100 : random.nextDouble() * 100;
                if (roll >= rules.probability()) {
                    failedProbability.add(entry.key());
                    skip(
                            entry,
                            Reason.PROBABILITY,
                            String.format(Locale.ROOT, "rolled %.1f, needed below %d", roll, rules.probability()));
                    return Optional.empty();
                }
            }
            String book = entry.book().pack().pack().id();
            String text = rules.text();
            int tokens = TokenEstimate.of(text);
            boolean truncated = false;
            if (!rules.ignoreBudget()) {
                var bookBudget = entry.book().pack().book().tokenBudget();
                int bookLeft = bookBudget.isPresent()
                        ? bookBudget.getAsInt() - bookUsed.getOrDefault(book, 0)
                        : Integer.MAX_VALUE;
                int left = Math.min(turn.budget() - used, bookLeft);
                if (overflowed || bookOverflowed.contains(book)) {
                    skip(entry, Reason.BUDGET, "the budget was already spent");
                    return Optional.empty();
                }
                if (tokens > left) {
                    int whole =
                            Math.min(turn.budget(), bookBudget.isPresent() ? bookBudget.getAsInt() : Integer.MAX_VALUE);
                    if (bookLeft < turn.budget() - used) {
                        bookOverflowed.add(book);
                    } else {
                        overflowed = true;
                    }
                    // One limit for long entries: one larger than the whole budget is cut to what is left,
                    // never silently dropped (issue 12), unless it asks to be ignored on a full context.
                    if (tokens > whole && left * 4 >= whole && left > 0 && !rules.has("ignore_on_max_context")) {
                        text = cut(text, left);
                        tokens = TokenEstimate.of(text);
                        truncated = true;
                    } else {
                        skip(entry, Reason.BUDGET, tokens + " tokens, " + Math.max(0, left) + " left");
                        return Optional.empty();
                    }
                }
                used += tokens;
                bookUsed.merge(book, tokens, Integer::sum);
            }
            Fired done = new Fired(book, entry.compiled(), hit.reason(), hit.detail(), step, text, tokens, truncated);
            fired.put(entry.key(), done);
            skipped.remove(entry.key());
            return Optional.of(done);
        }

        private void skip(Entry entry, Reason reason, String detail) {
            if (!fired.containsKey(entry.key())) {
                skipped.put(
                        entry.key(),
                        new Skipped(
                                entry.book().pack().pack().id(),
                                entry.compiled().id(),
                                reason,
                                detail));
            }
        }
    }

    /** Cuts {@code text} to at most {@code tokens} estimated tokens (see {@link TokenEstimate#cut}). */
    static String cut(String text, int tokens) {
        return TokenEstimate.cut(text, tokens);
    }
}
