package dev.nexus.host.memory;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Scores how much a memory matters, at write time, 0.05–1. Facts: their category's base importance
 * scaled by confidence (a fact stated through the API counts a little more). Messages: a small base,
 * raised by self-disclosure (facts found in it), feelings, specifics (numbers, names, dates) and
 * length, lowered for small talk. Stateless.
 */
final class Importance {

    private static final Pattern FEELING = Pattern.compile(
            "\\b(?:love|hate|afraid|scared|worried|anxious|excited|happy|sad|angry|upset|stressed|lonely|proud|"
                    + "grateful|depressed|hurt|miss|died|passed away|divorce|married|pregnant|fired|promoted|diagnosed)\\b");
    private static final Pattern SPECIFIC = Pattern.compile(
            "\\d|\\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
                    + "july|august|september|october|november|december|tomorrow|yesterday|next week|birthday|anniversary)\\b");
    private static final Pattern SMALL_TALK = Pattern.compile(
            "^(?:hi|hello|hey|thanks|thank you|ok|okay|cool|nice|great|bye|good night|good morning|lol|yes|no|sure)[.! ]*$");

    private Importance() {}

    static double ofFact(FactCategory category, double confidence, FactSource source) {
        double value =
                category.baseImportance() * (0.6 + 0.4 * confidence) + (source == FactSource.EXPLICIT ? 0.05 : 0);
        return clamp(value);
    }

    static double ofMessage(String text, int factsFound) {
        String lower = text.toLowerCase(Locale.ROOT).strip();
        if (SMALL_TALK.matcher(lower).matches()) {
            return 0.05;
        }
        double value = 0.2;
        value += Math.min(0.35, 0.2 * factsFound);
        if (FEELING.matcher(lower).find()) {
            value += 0.15;
        }
        if (SPECIFIC.matcher(lower).find()) {
            value += 0.1;
        }
        value += Math.min(0.1, lower.length() / 2000.0);
        return clamp(value);
    }

    private static double clamp(double value) {
        return Math.max(0.05, Math.min(1.0, value));
    }
}
