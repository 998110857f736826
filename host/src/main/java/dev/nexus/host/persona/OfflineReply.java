package dev.nexus.host.persona;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composes the offline model's replies. A reply is a handful of candidate sentences (greeting or
 * acknowledgement, sympathy, what was recalled, a matching example line, a question back, a light
 * remark), each kept or dropped by priority within a sentence budget set by {@code verbosity}, then
 * put in order ({@code directness} puts the substance first and drops pleasantries). The budget is
 * per verbosity band (1, 2, 3, 4, 6 sentences), and every trait outside its moderate band adds one
 * remark in its own voice, so that each band of each trait is visible offline. The host's own
 * phrases take a register ({@code formality} expands or contracts contractions; quoted material such
 * as greetings, examples and recalled text is left as written; {@code warmth}, {@code humor},
 * {@code curiosity} and {@code empathy} decide which sentences exist at all). Choices between phrasings
 * are made by a stable hash of the personality and the message, so replies are deterministic.
 * Stateless.
 */
final class OfflineReply {

    /** Said on the first turn, so nobody mistakes the offline model for a language model. */
    static final String DISCLOSURE =
            "(Offline mode: no language model is configured, so I answer from my persona and memory.)";

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…])\\s+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}+#.-]+");
    private static final Pattern EDGE_PUNCTUATION = Pattern.compile("^[.#+-]+|[.#+-]+$");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern ENDS_LIKE_SENTENCE = Pattern.compile("[.!?…\"')]$");
    private static final Set<String> STOPWORDS = Set.of(
            "a",
            "about",
            "above",
            "after",
            "again",
            "all",
            "also",
            "am",
            "an",
            "and",
            "any",
            "are",
            "as",
            "at",
            "be",
            "because",
            "been",
            "before",
            "being",
            "but",
            "by",
            "can",
            "could",
            "did",
            "do",
            "does",
            "doing",
            "for",
            "from",
            "had",
            "has",
            "have",
            "having",
            "he",
            "her",
            "here",
            "hers",
            "him",
            "his",
            "how",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "just",
            "know",
            "like",
            "me",
            "might",
            "more",
            "most",
            "my",
            "no",
            "not",
            "now",
            "of",
            "on",
            "one",
            "or",
            "our",
            "out",
            "please",
            "should",
            "so",
            "some",
            "tell",
            "than",
            "that",
            "the",
            "their",
            "them",
            "then",
            "there",
            "these",
            "they",
            "think",
            "this",
            "those",
            "to",
            "too",
            "up",
            "us",
            "very",
            "want",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "which",
            "who",
            "why",
            "will",
            "with",
            "would",
            "you",
            "your",
            "yours",
            "hi",
            "hello",
            "hey",
            "thanks",
            "thank",
            "can't",
            "don't",
            "i'm",
            "it's",
            "what's",
            "get",
            "got",
            "make",
            "need",
            "really",
            "much",
            "many",
            "way",
            "thing",
            "things",
            "let",
            "use",
            "using",
            "used",
            "help",
            "anyone",
            "something",
            "anything",
            "still",
            "keep",
            "keeps",
            "going",
            "good",
            "best",
            "better",
            "new",
            "lot",
            "bit",
            "sure",
            "yes",
            "okay",
            "ok");
    private static final Set<String> FEELINGS = Set.of(
            "sad",
            "upset",
            "worried",
            "anxious",
            "stressed",
            "angry",
            "frustrated",
            "frustrating",
            "tired",
            "exhausted",
            "lonely",
            "afraid",
            "scared",
            "overwhelmed",
            "hurt",
            "annoyed",
            "confused",
            "stuck",
            "disappointed",
            "nervous",
            "depressed",
            "struggling");

    /** Sentences a reply keeps per verbosity band, very low to very high. */
    private static final int[] SENTENCE_BUDGET = {1, 2, 3, 4, 6};

    /**
     * The offline voice of each trait band, very low to very high; the moderate band says nothing.
     * Verbosity shows in the sentence budget instead.
     */
    private static final java.util.Map<String, List<String>> TOUCHES = java.util.Map.ofEntries(
            java.util.Map.entry(
                    "formality",
                    List.of(
                            "No need for ceremony here.",
                            "Keep it casual; that's fine by me.",
                            "",
                            "I trust this is of some use.",
                            "I remain at your disposal should you require anything further.")),
            java.util.Map.entry(
                    "warmth",
                    List.of(
                            "That's all.",
                            "Hope that answers it.",
                            "",
                            "I'm glad you asked me.",
                            "I'm really glad you're here, and I'm rooting for you.")),
            java.util.Map.entry(
                    "humor",
                    List.of(
                            "Seriously, though.",
                            "Mildly amusing, when you think about it.",
                            "",
                            "If this were a sitcom, this is where the laugh track would kick in.",
                            "I'd tell you a joke about offline models, but you wouldn't get it: no network.")),
            java.util.Map.entry(
                    "directness",
                    List.of(
                            "But you know your situation best, so take this as one option among several.",
                            "That's my tentative view, anyway.",
                            "",
                            "That's my recommendation.",
                            "Bottom line: that's what I'd do, full stop.")),
            java.util.Map.entry(
                    "curiosity",
                    List.of(
                            "I'll leave it there.",
                            "Tell me if anything is unclear.",
                            "",
                            "What are you hoping to get out of this?",
                            "I'm curious: what's behind the question, and what have you tried so far?")),
            java.util.Map.entry(
                    "empathy",
                    List.of(
                            "Let's stick to the facts.",
                            "I know this stuff can be annoying.",
                            "",
                            "How are you feeling about all this?",
                            "Whatever you're feeling about this is valid; take the time you need.")),
            java.util.Map.entry(
                    "creativity",
                    List.of(
                            "The conventional answer is usually the right one.",
                            "The proven route is usually best.",
                            "",
                            "Here's a thought from an odd angle: treat it like a puzzle box.",
                            "Picture it as a map of an unexplored island: every question opens a new trail.")),
            java.util.Map.entry(
                    "confidence",
                    List.of(
                            "I may well be wrong about this.",
                            "I think that's right, but I'm not certain.",
                            "",
                            "I'm confident about this.",
                            "I'm certain of it.")),
            java.util.Map.entry(
                    "playfulness",
                    List.of(
                            "Let's keep this straightforward.",
                            "Just a little fun, now and then.",
                            "",
                            "This is fun, honestly!",
                            "Ooh, I love this sort of thing; let's play with it!")));

    /** A candidate sentence: lower {@code priority} survives a tight budget; {@code order} places it. */
    private record Part(String text, int priority, int order) {}

    private OfflineReply() {}

    /** Returns the reply of {@code grounding}'s personality to {@code message}. */
    static String compose(PersonaGrounding grounding, String message) {
        return new Composition(grounding, message).reply();
    }

    /** The work of composing one reply. Confined to one call. */
    private static final class Composition {

        private final PersonaGrounding grounding;
        private final Personality personality;
        private final String message;
        private final String topic;
        private final int seed;
        private final double verbosity;
        private final double formality;
        private final double warmth;
        private final double humor;
        private final double directness;
        private final double curiosity;
        private final double empathy;

        Composition(PersonaGrounding grounding, String message) {
            this.grounding = grounding;
            this.personality = grounding.personality();
            this.message = message.strip();
            this.topic = topic(this.message);
            this.seed = (personality.id().value() + "\n" + this.message).hashCode();
            var traits = personality.traits();
            verbosity = traits.value("verbosity", 0.5);
            formality = traits.value("formality", 0.5);
            warmth = traits.value("warmth", 0.5);
            humor = traits.value("humor", 0.3);
            directness = traits.value("directness", 0.5);
            curiosity = traits.value("curiosity", 0.5);
            empathy = traits.value("empathy", traits.value("warmth", 0.5));
        }

        String reply() {
            List<Part> parts = new ArrayList<>();
            opener(parts);
            sympathy(parts);
            substance(parts);
            closing(parts);
            touches(parts);
            elaboration(parts);
            int budget = SENTENCE_BUDGET[TraitBand.of(verbosity).ordinal()];
            List<Part> kept = parts.stream()
                    .sorted(Comparator.comparingInt(Part::priority).thenComparingInt(Part::order))
                    .limit(budget)
                    .sorted(Comparator.comparingInt(Part::order))
                    .toList();
            StringBuilder reply = new StringBuilder();
            for (Part part : kept) {
                if (!reply.isEmpty()) {
                    reply.append(' ');
                }
                reply.append(part.text());
            }
            String text = reply.toString();
            return grounding.firstTurn() ? text + "\n\n" + DISCLOSURE : text;
        }

        private void opener(List<Part> parts) {
            if (grounding.firstTurn() && !grounding.greeted()) {
                String greeting = personality.greetings().isEmpty()
                        ? ""
                        : macros(personality.greetings().get(0)).strip();
                if (greeting.isEmpty()) {
                    greeting = formality >= 0.65
                            ? "Good day, " + grounding.user() + ". I am " + personality.name() + "."
                            : warmth >= 0.6
                                    ? "Hi " + grounding.user() + ", I'm " + personality.name() + " — good to meet you!"
                                    : "Hello, I'm " + personality.name() + ".";
                    greeting = register(greeting);
                }
                String[] sentences = SENTENCE_END.split(greeting);
                int keep = verbosity < 0.35 ? 1 : verbosity < 0.7 ? 2 : sentences.length;
                parts.add(new Part(
                        String.join(" ", List.of(sentences).subList(0, Math.min(keep, sentences.length))), 0, 0));
                return;
            }
            if (directness >= 0.7) {
                return;
            }
            List<String> options = formality >= 0.65
                    ? List.of("Thank you for your message.", "Certainly.", "I understand.")
                    : warmth >= 0.6
                            ? List.of("Good question!", "Ah, I hear you.", "Glad you asked.")
                            : List.of("Right.", "Okay.", "I see.");
            parts.add(new Part(register(pick(options, 1)), 6, 1));
        }

        private void sympathy(List<Part> parts) {
            boolean feeling = words(message).stream().anyMatch(FEELINGS::contains);
            if (!feeling || (empathy + warmth) / 2 < 0.5) {
                return;
            }
            String text = formality >= 0.65
                    ? "I am sorry to hear that; it sounds difficult."
                    : "That sounds rough, and I'm sorry you're dealing with it.";
            parts.add(new Part(register(text), empathy >= 0.6 ? 1 : 2, directness >= 0.7 ? 60 : 10));
        }

        private void substance(List<Part> parts) {
            String hedge =
                    register(directness < 0.3 ? (formality >= 0.65 ? "If I may: " : "I might be wrong, but ") : "");
            int order = 20;
            List<String> knowledge = grounding.knowledge();
            List<String> memories = grounding.memories();
            for (int i = 0; i < knowledge.size() && i < 2; i++) {
                String lead = register(
                        i > 0
                                ? "Also: "
                                : formality >= 0.65 ? "What I can tell you is this: " : "Here's what I know: ");
                parts.add(new Part(
                        hedged(i == 0 ? hedge : "", lead) + sentence(knowledge.get(i)), i == 0 ? 1 : 4, order++));
            }
            for (int i = 0; i < memories.size() && i < 2; i++) {
                String lead = register(
                        i > 0
                                ? "And "
                                : formality >= 0.65
                                        ? "I recall the following from earlier: "
                                        : "I remember this from before: ");
                String hedged = knowledge.isEmpty() && i == 0 ? hedge : "";
                parts.add(new Part(
                        hedged(hedged, lead) + sentence(i > 0 ? lowerFirst(memories.get(i)) : memories.get(i)),
                        i == 0 ? 1 : 4,
                        order++));
            }
            example().ifPresent(line -> parts.add(new Part(firstSentences(line, exampleSentences()), 2, 30)));
            if (knowledge.isEmpty() && memories.isEmpty() && !"that".equals(topic)) {
                String honest = formality >= 0.65
                        ? "Without a language model I can only draw on my own character and memory, and nothing on "
                                + topic + " is in it yet."
                        : "I'm running without a language model, so I can only go on my own character and memory, and nothing about "
                                + topic + " comes to mind yet.";
                parts.add(new Part(hedged(hedge, register(honest)), 2, 25));
            }
            if (!personality.values().isEmpty() && !"that".equals(topic)) {
                String value = pick(personality.values(), 3);
                parts.add(new Part(
                        register(formality >= 0.65 ? "What matters to me here is " : "What I care about here is ")
                                + sentence(lowerFirst(value)),
                        5,
                        35));
            }
        }

        /**
         * One short remark per trait outside its moderate band, so that every band of every trait
         * {@link TraitRenderer} documents shows in an offline reply (issue 12).
         */
        private void touches(List<Part> parts) {
            int order = 50;
            for (var trait : personality.traits().all()) {
                var band = TraitBand.of(trait.value());
                if (band == TraitBand.MODERATE || trait.name().equals("verbosity")) {
                    continue;
                }
                List<String> texts = TOUCHES.get(trait.name());
                String text = texts != null
                        ? texts.get(band.ordinal())
                        : "My " + trait.name().replace('-', ' ') + " runs " + band.label() + " today.";
                if (!text.isEmpty()) {
                    parts.add(new Part(register(text), 3, order++));
                }
            }
        }

        /** Low-priority extras that only a generous sentence budget (high verbosity) keeps. */
        private void elaboration(List<Part> parts) {
            String about = firstSentences(
                    SPACES.matcher(personality.description().strip()).replaceAll(" "), 1);
            if (!about.isBlank()) {
                parts.add(new Part(register("A bit about me: ") + sentence(macros(about)), 8, 70));
            }
            if (!"that".equals(topic)) {
                parts.add(new Part(register("In short, that's where I stand on " + topic + "."), 9, 71));
            }
            parts.add(new Part(register("Ask me anything else; I'll answer as well as an offline model can."), 10, 72));
        }

        /** Verbosity shortens a borrowed example answer too: 0.1 keeps one sentence, 0.8 five. */
        private int exampleSentences() {
            return Math.max(1, (int) Math.ceil(verbosity * 6));
        }

        private static String firstSentences(String text, int count) {
            String[] sentences = SENTENCE_END.split(text.strip());
            return sentences.length <= count
                    ? text
                    : String.join(" ", List.of(sentences).subList(0, count));
        }

        private void closing(List<Part> parts) {
            boolean alreadyAsked = parts.stream().anyMatch(part -> part.text().endsWith("?"));
            if (curiosity >= 0.6 && !alreadyAsked) {
                String question = "that".equals(topic)
                        ? (formality >= 0.65 ? "What would you like to discuss?" : "What's on your mind?")
                        : formality >= 0.65
                                ? "May I ask what prompted your question about " + topic + "?"
                                : pick(
                                        List.of(
                                                "What got you thinking about " + topic + "?",
                                                "What's the story behind " + topic + "?"),
                                        4);
                parts.add(new Part(register(question), 3, 40));
            }
            if (humor >= 0.7) {
                parts.add(new Part(
                        register(pick(
                                List.of(
                                        "No crystal ball here, just a well-kept memory.",
                                        "I'd offer you a witty answer, but my language model is on holiday.",
                                        "Think of me as the acoustic version."),
                                5)),
                        7,
                        45));
            }
        }

        /** Returns the assistant line of the example whose user line shares most words with the message, if any does. */
        private java.util.Optional<String> example() {
            Set<String> asked = words(message);
            String best = null;
            int bestOverlap = 0;
            for (List<ExampleTurn> turns : personality.examples()) {
                for (int i = 0; i < turns.size(); i++) {
                    if (!"assistant".equals(turns.get(i).role())
                            || turns.get(i).text().isBlank()) {
                        continue;
                    }
                    Set<String> context = i > 0 ? words(turns.get(i - 1).text()) : Set.of();
                    int overlap = (int) context.stream().filter(asked::contains).count();
                    if (overlap > bestOverlap) {
                        bestOverlap = overlap;
                        best = turns.get(i).text();
                    }
                }
            }
            return best == null
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(sentence(macros(best).strip()));
        }

        private String macros(String text) {
            return PersonaPrompt.expand(text, personality.name(), grounding.user(), "");
        }

        private String register(String text) {
            if (formality >= 0.65) {
                return expand(text);
            }
            if (formality < 0.35) {
                return contract(text);
            }
            return text;
        }

        private <T> T pick(List<T> options, int salt) {
            return options.get(Math.floorMod(seed * 31 + salt, options.size()));
        }
    }

    /** Returns up to three content words of {@code message}, in order, as the topic; "that" when none. */
    static String topic(String message) {
        List<String> content = new ArrayList<>();
        for (String word : NON_WORD.split(message)) {
            String clean = EDGE_PUNCTUATION.matcher(word).replaceAll("");
            String lower = clean.toLowerCase(Locale.ROOT);
            if (clean.length() >= 3 && !STOPWORDS.contains(lower) && !FEELINGS.contains(lower) && content.size() < 3) {
                content.add(clean);
            }
        }
        return content.isEmpty() ? "that" : String.join(" ", content);
    }

    private static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            String clean = EDGE_PUNCTUATION.matcher(word).replaceAll("");
            if (clean.length() >= 3 && !STOPWORDS.contains(clean)) {
                words.add(clean);
            }
        }
        return words;
    }

    /** Caps a recalled text at about 300 characters and makes it end like a sentence. */
    private static String sentence(String text) {
        String trimmed = shorten(SPACES.matcher(text.strip()).replaceAll(" "), 300);
        return ENDS_LIKE_SENTENCE.matcher(trimmed).find() ? trimmed : trimmed + ".";
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1).strip() + "…";
    }

    /** Joins a hedge and what follows, lower-casing the start of what follows ("but here's…"). */
    private static String hedged(String hedge, String text) {
        return hedge.isEmpty() ? text : hedge + lowerFirst(text);
    }

    private static String lowerFirst(String text) {
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
            return Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }

    private static final String[][] CONTRACTIONS = {
        {"I'm", "I am"},
        {"I'd", "I would"},
        {"I've", "I have"},
        {"I'll", "I will"},
        {"you're", "you are"},
        {"it's", "it is"},
        {"that's", "that is"},
        {"what's", "what is"},
        {"there's", "there is"},
        {"don't", "do not"},
        {"doesn't", "does not"},
        {"can't", "cannot"},
        {"won't", "will not"},
        {"isn't", "is not"},
        {"aren't", "are not"},
        {"Here's", "Here is"},
        {"here's", "here is"},
        {"let's", "let us"},
        {"It's", "It is"},
        {"That's", "That is"},
        {"What's", "What is"}
    };

    /** Each contraction and its long form as whole-word patterns, compiled once (they run on every reply). */
    private record Contraction(Pattern shortForm, String shortText, Pattern longForm, String longText) {
        static Contraction of(String[] pair) {
            return new Contraction(wholeWord(pair[0]), pair[0], wholeWord(pair[1]), pair[1]);
        }

        private static Pattern wholeWord(String text) {
            return Pattern.compile("(?<![\\p{L}])" + Pattern.quote(text) + "(?![\\p{L}])");
        }

        boolean contractible() {
            return !"cannot".equals(longText) && !longText.startsWith("let") && !"here is".equals(longText);
        }
    }

    private static final List<Contraction> CONTRACTION_PATTERNS =
            Arrays.stream(CONTRACTIONS).map(Contraction::of).toList();

    static String expand(String text) {
        String out = text;
        for (Contraction c : CONTRACTION_PATTERNS) {
            if (out.contains(c.shortText())) {
                out = c.shortForm().matcher(out).replaceAll(Matcher.quoteReplacement(c.longText()));
            }
        }
        return out;
    }

    static String contract(String text) {
        String out = text;
        for (Contraction c : CONTRACTION_PATTERNS) {
            if (c.contractible() && out.contains(c.longText())) {
                out = c.longForm().matcher(out).replaceAll(Matcher.quoteReplacement(c.shortText()));
            }
        }
        return out;
    }
}
