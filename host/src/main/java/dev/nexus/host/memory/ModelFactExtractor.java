package dev.nexus.host.memory;

import dev.nexus.host.DependencyException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.json.Json;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Extracts facts with the configured language model: it asks for a small JSON object and checks
 * every entry (known category, confidence in [0, 1], a fact of reasonable length, a known slot).
 * Entries that fail the checks are dropped; an answer that is not the requested JSON, or a failing
 * model, makes {@link #extract} throw, and memory then falls back to the rule-based extractor.
 * Thread-safe; blocks on the model (it runs after the reply has been delivered).
 */
public final class ModelFactExtractor implements FactExtractor {

    /** The most facts taken from one turn. */
    static final int MAX_FACTS = 5;

    private static final Set<String> SLOTS = Set.of("name", "home", "job", "diet", "age");
    private static final String INSTRUCTIONS = """
            You extract durable facts a user states about themselves, for a personal assistant's memory.
            Read the user's message (the assistant's reply is context only). Return ONLY a JSON object:
            {"facts":[{"fact":"The user ...","category":"...","confidence":0.0,"slot":null,"when":null}]}
            - fact: one short sentence in the third person starting with "The user".
            - category: one of identity, health, diet, location, work, relationship, goal, preference, event, other.
            - confidence: 0 to 1, how clearly the user stated it (guesses below 0.5).
            - slot: "name", "home", "job", "diet" or "age" when the fact replaces an earlier one of that kind, else null.
            - when: for an event, the user's own words that say on which day it happened ("yesterday",
              "last Tuesday", "three days ago"), else null; do not put the day into fact.
            Only facts about the user, at most %d. No facts: {"facts":[]}.""".formatted(MAX_FACTS);

    private final LanguageModel model;
    private final int maxFactChars;

    /** The JSON the model is asked for. */
    record Answer(List<Item> facts) {}

    /** One fact as the model writes it. */
    record Item(String fact, String category, Double confidence, String slot, String when) {}

    /**
     * @param model the configured (non-offline) language model
     * @param maxFactChars the longest fact kept ({@code memory.max-fact-chars})
     */
    public ModelFactExtractor(LanguageModel model, int maxFactChars) {
        this.model = model;
        this.maxFactChars = maxFactChars;
    }

    @Override
    public List<ExtractedFact> extract(String userText, String replyText) {
        ModelRequest request = new ModelRequest(
                INSTRUCTIONS,
                List.of(ModelMessage.user("User message:\n" + userText.strip() + "\n\nAssistant reply (context only):\n"
                        + replyText.strip())),
                List.of(),
                400,
                Optional.empty());
        String text = model.chat(request).text();
        Answer answer;
        try {
            answer = Json.read(jsonObject(text), Answer.class);
        } catch (InvalidInputException e) {
            throw new DependencyException(
                    "model " + model.description().label() + " did not answer with the fact JSON: " + e.getMessage(),
                    false,
                    e);
        }
        List<ExtractedFact> facts = new ArrayList<>();
        for (Item item : answer.facts() == null ? List.<Item>of() : answer.facts()) {
            toFact(item).ifPresent(facts::add);
            if (facts.size() == MAX_FACTS) {
                break;
            }
        }
        return facts;
    }

    private Optional<ExtractedFact> toFact(Item item) {
        if (item == null
                || item.fact() == null
                || item.fact().isBlank()
                || item.fact().length() > maxFactChars
                || item.confidence() == null
                || !(item.confidence() >= 0 && item.confidence() <= 1)) {
            return Optional.empty();
        }
        FactCategory category;
        try {
            category =
                    FactCategory.valueOf(String.valueOf(item.category()).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
        Optional<String> slot = Optional.ofNullable(item.slot())
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(SLOTS::contains);
        Optional<String> when = Optional.ofNullable(item.when())
                .filter(w -> TimeExpressions.EVENT_DAY.matcher(w).find());
        return Optional.of(new ExtractedFact(item.fact(), category, item.confidence(), slot, when, Optional.empty()));
    }

    /** Models like to wrap JSON in prose or code fences; take the outermost object. */
    private static String jsonObject(String text) {
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        return start >= 0 && end > start ? text.substring(start, end + 1) : text;
    }
}
