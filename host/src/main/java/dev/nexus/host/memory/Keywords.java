package dev.nexus.host.memory;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Content words of a text, for keyword matching when vectors are unavailable or weak. Stateless. */
final class Keywords {

    private static final Set<String> STOP = Set.of(
            "the",
            "and",
            "for",
            "are",
            "but",
            "not",
            "you",
            "your",
            "with",
            "have",
            "has",
            "had",
            "was",
            "were",
            "this",
            "that",
            "these",
            "those",
            "what",
            "which",
            "who",
            "whom",
            "when",
            "where",
            "why",
            "how",
            "can",
            "could",
            "would",
            "should",
            "will",
            "shall",
            "may",
            "might",
            "must",
            "from",
            "into",
            "onto",
            "about",
            "some",
            "any",
            "all",
            "our",
            "out",
            "them",
            "they",
            "their",
            "there",
            "then",
            "than",
            "its",
            "it's",
            "i'm",
            "i've",
            "i'd",
            "you're",
            "let",
            "lets",
            "let's",
            "just",
            "also",
            "very",
            "really",
            "more",
            "most",
            "much",
            "many",
            "me",
            "my",
            "mine",
            "user",
            "user's",
            "tell",
            "give",
            "get",
            "got",
            "make",
            "made",
            "like",
            "want",
            "need",
            "please",
            "thanks",
            "thank",
            "yes",
            "yeah",
            "okay",
            "does",
            "did",
            "doing",
            "done",
            "been",
            "being",
            "am",
            "idea",
            "ideas",
            "something",
            "anything",
            "today",
            "tonight");

    /** Two-letter words that carry no meaning of their own (shorter words are never terms). */
    private static final Set<String> SHORT_STOP = Set.of(
            "is", "in", "on", "at", "to", "of", "or", "an", "as", "by", "be", "do", "go", "he", "we", "it", "so", "up",
            "if", "no", "us", "ok", "oh", "hi", "im", "me", "my");

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}']+");

    private Keywords() {}

    private static String trimQuotes(String word) {
        int start = 0;
        int end = word.length();
        while (start < end && word.charAt(start) == '\'') {
            start++;
        }
        while (end > start && word.charAt(end - 1) == '\'') {
            end--;
        }
        return word.substring(start, end);
    }

    /**
     * Returns the terms of {@code text} in order, repeats kept (for full-text scoring): lower case,
     * two characters or more, stop words removed, light stemming.
     */
    static java.util.List<String> terms(String text) {
        java.util.List<String> terms = new java.util.ArrayList<>();
        for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            String w = trimQuotes(word);
            if (w.endsWith("'s")) {
                w = w.substring(0, w.length() - 2);
            }
            if (w.length() < 2 || STOP.contains(w) || SHORT_STOP.contains(w)) {
                continue;
            }
            terms.add(stem(w));
        }
        return terms;
    }

    /** Returns the distinct content words of {@code text}: lower case, three letters or more, light stemming. */
    static Set<String> of(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            String w = trimQuotes(word);
            if (w.length() < 3 || STOP.contains(w)) {
                continue;
            }
            words.add(stem(w));
        }
        return words;
    }

    /** Returns the share of the query's content words found in {@code text}, 0–1. */
    static double overlap(Set<String> query, String text) {
        if (query.isEmpty()) {
            return 0;
        }
        Set<String> words = of(text);
        long found = query.stream().filter(words::contains).count();
        return (double) found / query.size();
    }

    /**
     * Light suffix stripping, the same on both sides of a match: plurals, "-ing", "-ed" and a final
     * "e", so "learned" meets "learn", "relocated" meets "relocate" and "moved" meets "move".
     */
    static String stem(String w) {
        if (w.endsWith("ies") && w.length() > 4) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.endsWith("ing") && w.length() > 5) {
            return w.substring(0, w.length() - 3);
        }
        if (w.endsWith("ed") && !w.endsWith("eed") && w.length() > 4) {
            return w.substring(0, w.length() - 2);
        }
        if (w.endsWith("s") && !w.endsWith("ss") && w.length() > 3) {
            w = w.substring(0, w.length() - 1);
        }
        if (w.endsWith("e") && !w.endsWith("ee") && w.length() > 3) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }
}
