package dev.nexus.host.memory;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a question refers to beyond its words, read from the user's own memories at query time:
 * <ul>
 *   <li><b>people and pets by relation</b>: "my sister" in a question is the name the user gave her
 *       ("My sister Ana works as a nurse", "my sister's name is Ana"); "my puppy" is the name it was
 *       given ("we adopted a beagle puppy and named her Luna"). The name is added to the full-text
 *       query, so "Who is my sister engaged to?" finds "Ana got engaged to Tomas";</li>
 *   <li><b>slots a question asks about</b>: "Which city do I live in now?" asks for the user's
 *       home, "What did I do for a living before my new job?" for an earlier job. Statements that
 *       fill a slot are recognised with the rule extractor's slot rules (or the fact's stored slot);
 *       the latest one is the current value, older ones are its history.</li>
 * </ul>
 * Stateless.
 */
final class Mentions {

    /** Relation words a question can use ("my sister"), with the words memories use for the same one. */
    private static final Map<String, List<String>> RELATIONS = relations();

    private static final Pattern MY_RELATION = Pattern.compile(
            "\\bmy (?:best |older |younger |little |big )?(" + String.join("|", RELATIONS.keySet()) + ")\\b",
            Pattern.CASE_INSENSITIVE);

    private static final String NAME = "(\\p{Lu}\\p{Ll}+(?:-\\p{Lu}\\p{Ll}+)?)";

    /** Words that are capitalised but are no name. */
    private static final Set<String> NOT_NAMES = Set.of(
            "I",
            "The",
            "We",
            "He",
            "She",
            "They",
            "It",
            "And",
            "But",
            "So",
            "Just",
            "Yesterday",
            "Today",
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday");

    /** Which slot a question asks about. */
    enum Slot {
        JOB(
                Set.of("job", "employer"),
                Pattern.compile("\\b(?:job|work|working|employer|for a living|career|profession|occupation)\\b"),
                "work job start quit employer"),
        HOME(
                Set.of("home"),
                Pattern.compile("\\b(?:live|living|lived|city|town|moved?|home|relocated?)\\b"),
                "live moved relocated home");

        final Set<String> slots;
        final Pattern asked;
        final String terms;

        Slot(Set<String> slots, Pattern asked, String terms) {
            this.slots = slots;
            this.asked = asked;
            this.terms = terms;
        }
    }

    /**
     * What a question asks about a slot.
     *
     * @param slot the slot
     * @param history true when it asks for an earlier value ("before", "used to", "previous")
     */
    record SlotQuestion(Slot slot, boolean history) {}

    private static final Pattern FIRST_PERSON = Pattern.compile("\\b(?:i|my|me|we|our)\\b");
    private static final Pattern HISTORY =
            Pattern.compile("\\b(?:before|used to|previous(?:ly)?|former(?:ly)?|earlier|old|first)\\b");

    private Mentions() {}

    private static Map<String, List<String>> relations() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String word : List.of(
                "sister",
                "brother",
                "mother",
                "father",
                "wife",
                "husband",
                "partner",
                "girlfriend",
                "boyfriend",
                "son",
                "daughter",
                "friend",
                "cousin",
                "aunt",
                "uncle",
                "grandmother",
                "grandfather",
                "niece",
                "nephew",
                "boss",
                "colleague",
                "neighbour",
                "neighbor",
                "fiancé",
                "fiancée",
                "fiance",
                "fiancee")) {
            map.put(word, List.of(word));
        }
        map.put("mom", List.of("mom", "mother"));
        map.put("mum", List.of("mum", "mother"));
        map.put("dad", List.of("dad", "father"));
        map.put("dog", List.of("dog", "puppy"));
        map.put("puppy", List.of("puppy", "dog"));
        map.put("cat", List.of("cat", "kitten"));
        map.put("kitten", List.of("kitten", "cat"));
        map.put("pet", List.of("dog", "puppy", "cat", "kitten", "pet"));
        return map;
    }

    /** Returns the relations a question names with "my" ("my sister" → sister), in order. */
    static Set<String> relations(String question) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = MY_RELATION.matcher(question);
        while (m.find()) {
            found.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return found;
    }

    /**
     * Returns {@code question} with each relation it names followed by the name the user gave it
     * ({@code names}, by relation): "Who is my sister engaged to?" with sister → Kasper reads "Who is my
     * sister Kasper engaged to?". A relation already followed by its name is left as it is.
     */
    static String resolve(String question, Map<String, String> names) {
        Matcher m = MY_RELATION.matcher(question);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String name = names.get(m.group(1).toLowerCase(Locale.ROOT));
            if (name == null || question.startsWith(" " + name, m.end())) {
                continue;
            }
            out.append(question, last, m.end()).append(' ').append(name);
            last = m.end();
        }
        return out.append(question.substring(last)).toString();
    }

    /** Returns the words memories use for {@code relation} (a dog may have been a puppy). */
    static List<String> wordsFor(String relation) {
        return RELATIONS.getOrDefault(relation, List.of(relation));
    }

    /**
     * Returns the name {@code text} gives the user's {@code relation}, if it gives one: "My sister Ana
     * …", "my sister's name is Ana", "my sister is called Ana", "a puppy and named her Luna", "a dog
     * called Otto" (only the user's own: "our neighbour's dog is called Otto" names no pet of theirs).
     */
    static Optional<String> nameOf(String relation, String text) {
        for (String word : wordsFor(relation)) {
            String w = "(?i:" + Pattern.quote(word) + ")";
            List<Pattern> patterns = List.of(
                    Pattern.compile("(?i:\\bmy )(?:(?i:best|older|younger|little|big) )?" + w + ",? " + NAME + "\\b"),
                    Pattern.compile("(?i:\\bmy )" + w + "(?i:'s name is| is called| is named| is) " + NAME + "\\b"),
                    Pattern.compile("(?i:\\b(?:we|i) (?:adopted|got|have|bought|rescued) an? )[\\p{L} -]{0,30}?\\b" + w
                            + "\\b[^.!?]{0,20}?(?i:named|called) (?:(?i:her|him|it) )?" + NAME + "\\b"));
            for (Pattern p : patterns) {
                Matcher m = p.matcher(text);
                if (m.find() && !NOT_NAMES.contains(m.group(1))) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the slot a question asks about the user, if any: a first-person question with a slot's
     * word and no "my sister" in it ("Where does my brother live?" is not about the user's home).
     */
    static Optional<SlotQuestion> slotQuestion(String question) {
        String lower = question.toLowerCase(Locale.ROOT);
        if (!FIRST_PERSON.matcher(lower).find() || !relations(question).isEmpty()) {
            return Optional.empty();
        }
        for (Slot slot : Slot.values()) { // the job first: "what do I do for a living" is no question about home
            if (slot.asked.matcher(lower).find()) {
                return Optional.of(new SlotQuestion(slot, HISTORY.matcher(lower).find()));
            }
        }
        return Optional.empty();
    }

    /** Returns whether a memory fills {@code slot}: its stored slot, else what the rules find in its text. */
    static boolean fills(Slot slot, Optional<String> storedSlot, String text) {
        if (storedSlot.isPresent()) {
            return slot.slots.contains(storedSlot.get());
        }
        for (ExtractedFact fact : RuleFactExtractor.INSTANCE.extract(text, "")) {
            if (fact.slot().isPresent() && slot.slots.contains(fact.slot().get())) {
                return true;
            }
        }
        return false;
    }
}
