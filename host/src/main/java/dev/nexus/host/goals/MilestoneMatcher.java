package dev.nexus.host.goals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline rules that find which milestone a user says they finished. A sentence such as "I
 * finished the first chapter", "I've just completed the outline" or "we're done with chapter 2" names
 * a phrase; the phrase's words (ordinals and number words read as numbers, plurals folded, filler
 * dropped) are compared with the words of every open milestone of the user's active goals. A milestone
 * matches when at least half of its words are in the phrase, one of them is not a number, and no
 * number differs ("chapter 2" never matches "the first chapter"). The best match wins; a tie matches
 * nothing, so an ambiguous sentence never marks the wrong milestone. Stateless.
 */
final class MilestoneMatcher {

    private static final Pattern DONE = Pattern.compile(
            "\\b(?:i|we)(?:'ve|’ve|\\s+have|'m|’m|\\s+am|'re|’re|\\s+are)?\\s+(?:just\\s+|finally\\s+|now\\s+|already\\s+)?"
                    + "(?:finished|completed|done(?:\\s+with)?|wrapped\\s+up|got\\s+through|ticked\\s+off|checked\\s+off)\\s+(.{1,200})",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern SENTENCE_END =
            Pattern.compile("[.!?;]|\\b(?:and|but|so|because|now)\\b", Pattern.CASE_INSENSITIVE);
    private static final Set<String> FILLER = Set.of(
            "the", "a", "an", "my", "our", "of", "to", "with", "for", "on", "in", "at", "it", "this", "that", "i", "we",
            "your", "its", "whole", "entire", "off", "up", "draft", "writing");
    private static final Map<String, String> NUMBERS = Map.ofEntries(
            Map.entry("first", "1"),
            Map.entry("second", "2"),
            Map.entry("third", "3"),
            Map.entry("fourth", "4"),
            Map.entry("fifth", "5"),
            Map.entry("sixth", "6"),
            Map.entry("seventh", "7"),
            Map.entry("eighth", "8"),
            Map.entry("ninth", "9"),
            Map.entry("tenth", "10"),
            Map.entry("one", "1"),
            Map.entry("two", "2"),
            Map.entry("three", "3"),
            Map.entry("four", "4"),
            Map.entry("five", "5"),
            Map.entry("six", "6"),
            Map.entry("seven", "7"),
            Map.entry("eight", "8"),
            Map.entry("nine", "9"),
            Map.entry("ten", "10"),
            Map.entry("1st", "1"),
            Map.entry("2nd", "2"),
            Map.entry("3rd", "3"),
            Map.entry("4th", "4"),
            Map.entry("5th", "5"));
    private static final double THRESHOLD = 0.5;

    private MilestoneMatcher() {}

    /**
     * A milestone the user said they finished.
     *
     * @param goal the goal it belongs to
     * @param milestone the open milestone
     * @param phrase the words of the message that named it
     */
    record Match(Goal goal, Milestone milestone, String phrase) {}

    /** Returns the one open milestone of {@code goals} that {@code message} says is finished, if exactly one fits best. */
    static Optional<Match> match(String message, List<Goal> goals) {
        if (message == null || message.length() > 4000) {
            return Optional.empty();
        }
        Matcher said = DONE.matcher(message);
        if (!said.find()) {
            return Optional.empty();
        }
        String phrase = said.group(1);
        Matcher end = SENTENCE_END.matcher(phrase);
        if (end.find()) {
            phrase = phrase.substring(0, end.start());
        }
        Set<String> words = words(phrase);
        if (words.isEmpty()) {
            return Optional.empty();
        }
        double best = 0;
        List<Match> leaders = new ArrayList<>();
        for (Goal goal : goals) {
            for (Milestone milestone : goal.milestones()) {
                if (milestone.isDone()) {
                    continue;
                }
                double score = score(words, words(milestone.title()));
                if (score < THRESHOLD || score < best) {
                    continue;
                }
                if (score > best) {
                    best = score;
                    leaders.clear();
                }
                leaders.add(new Match(goal, milestone, phrase.strip()));
            }
        }
        return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
    }

    /** The share of the milestone's words found in the phrase; 0 when only numbers match or a number differs. */
    private static double score(Set<String> phrase, Set<String> milestone) {
        if (milestone.isEmpty()) {
            return 0;
        }
        Set<String> phraseNumbers = numbers(phrase);
        Set<String> milestoneNumbers = numbers(milestone);
        if (!phraseNumbers.isEmpty() && !milestoneNumbers.isEmpty() && !phraseNumbers.equals(milestoneNumbers)) {
            return 0;
        }
        int shared = 0;
        boolean word = false;
        for (String w : milestone) {
            if (phrase.contains(w)) {
                shared++;
                word |= !isNumber(w);
            }
        }
        return word ? (double) shared / milestone.size() : 0;
    }

    private static Set<String> numbers(Set<String> words) {
        Set<String> numbers = new HashSet<>();
        for (String w : words) {
            if (isNumber(w)) {
                numbers.add(w);
            }
        }
        return numbers;
    }

    private static boolean isNumber(String word) {
        return !word.isEmpty() && word.chars().allMatch(Character::isDigit);
    }

    /** Lower-cased words without filler, numbers as digits, a plural 's' folded. */
    static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String raw : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (raw.isEmpty() || FILLER.contains(raw)) {
                continue;
            }
            String word = NUMBERS.getOrDefault(raw, raw);
            if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) {
                word = word.substring(0, word.length() - 1);
            }
            words.add(word);
        }
        return words;
    }
}
