package dev.nexus.host.memory;

import java.util.Locale;
import java.util.Set;

/**
 * A rough sentiment of a message, −1 to 1, from a small word list: enough to tell a warm
 * relationship from a strained one over many turns, not to judge a single message. Stateless.
 */
final class Sentiment {

    private static final Set<String> POSITIVE = Set.of(
            "thanks",
            "thank",
            "great",
            "love",
            "awesome",
            "perfect",
            "helpful",
            "nice",
            "good",
            "amazing",
            "wonderful",
            "excellent",
            "appreciate",
            "glad",
            "happy",
            "cool",
            "brilliant",
            "fantastic",
            "lovely",
            "yes");
    private static final Set<String> NEGATIVE = Set.of(
            "bad",
            "wrong",
            "hate",
            "terrible",
            "awful",
            "useless",
            "annoying",
            "stupid",
            "no",
            "worse",
            "worst",
            "sad",
            "angry",
            "upset",
            "disappointed",
            "boring",
            "rude",
            "horrible",
            "broken",
            "never");

    private Sentiment() {}

    static double of(String text) {
        int positive = 0;
        int negative = 0;
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
            if (POSITIVE.contains(word)) {
                positive++;
            } else if (NEGATIVE.contains(word)) {
                negative++;
            }
        }
        int total = positive + negative;
        return total == 0 ? 0 : (double) (positive - negative) / total;
    }
}
