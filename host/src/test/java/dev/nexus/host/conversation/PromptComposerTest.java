package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.TokenEstimate;
import dev.nexus.host.persona.PersonaGrounding;
import dev.nexus.host.persona.PersonalityId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptComposerTest {

    private final PromptComposer composer = new PromptComposer(new RenderedPersonaSection(ChatSettings.DEFAULT_PROMPT));

    private static List<StoredMessage> history(int count, String filler) {
        List<StoredMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String role = i % 2 == 0 ? StoredMessage.USER : StoredMessage.ASSISTANT;
            messages.add(new StoredMessage(
                    "m" + i,
                    "c",
                    i + 1,
                    role,
                    "message " + i + " " + filler,
                    "api",
                    Optional.empty(),
                    "ada",
                    PersonalityId.of("zen-engineer"),
                    Optional.empty(),
                    Map.of(),
                    Optional.empty(),
                    Map.of(),
                    Optional.empty(),
                    "answered",
                    Instant.EPOCH,
                    Optional.empty()));
        }
        return messages;
    }

    private static RecalledItem item(String id, String text) {
        return new RecalledItem(id, "fact", "test", text, 1.0, Map.of());
    }

    private PromptComposer.Prompt compose(
            List<StoredMessage> history, String summary, Recollection recalled, int budget, int window) {
        return composer.compose(new PromptComposer.Input(
                Personalities.zen(0.5),
                "Ada",
                history,
                summary,
                "What now?",
                recalled,
                budget,
                budget / 4,
                window,
                false,
                false,
                Optional.empty()));
    }

    @Test
    void compose_putsTheSystemPromptFirst_theNewMessageAfterHistory_andPostHistoryInstructionsLast() {
        PromptComposer.Prompt prompt = compose(history(4, ""), "", Recollection.empty(), 4000, 24);

        assertThat(prompt.request().systemPrompt())
                .startsWith("You are Zen Engineer, talking with Ada.")
                .contains("## Zen Engineer")
                .contains("- Simplicity over cleverness")
                .contains("How to respond:\n- Be warm")
                .contains("- Give answers of moderate length");
        List<ModelMessage> messages = prompt.request().messages();
        // The example dialogue comes first, as few-shot messages between two notes, then the history.
        assertThat(messages)
                .extracting(ModelMessage::role)
                .containsExactly(
                        ModelMessage.Role.SYSTEM,
                        ModelMessage.Role.USER,
                        ModelMessage.Role.ASSISTANT,
                        ModelMessage.Role.SYSTEM,
                        ModelMessage.Role.USER,
                        ModelMessage.Role.ASSISTANT,
                        ModelMessage.Role.USER,
                        ModelMessage.Role.ASSISTANT,
                        ModelMessage.Role.USER,
                        ModelMessage.Role.SYSTEM);
        assertThat(messages.get(0).text())
                .isEqualTo("Example dialogue showing how Zen Engineer talks (not part of this conversation):");
        assertThat(messages.get(1).text()).isEqualTo("My deploy keeps failing");
        assertThat(messages.get(2).text()).isEqualTo("Read the first error, not the last.");
        assertThat(messages.get(3).text()).isEqualTo(PromptComposer.EXAMPLES_END);
        assertThat(prompt.exampleMessages()).isEqualTo(4);
        assertThat(messages.get(8).text()).isEqualTo("What now?");
        assertThat(messages.get(9).text()).isEqualTo("Stay calm.");
    }

    @Test
    void compose_keepsTheNewestMessagesThatFitTheBudget_andCountsTheRest() {
        List<StoredMessage> long_ = history(40, "word ".repeat(50));

        PromptComposer.Prompt prompt = compose(long_, "", Recollection.empty(), 1200, 24);

        assertThat(prompt.estimatedTokens()).isLessThanOrEqualTo(1200);
        assertThat(prompt.windowMessages()).isBetween(1, 23);
        assertThat(prompt.omittedMessages()).isEqualTo(40 - prompt.windowMessages());
        List<ModelMessage> messages = prompt.request().messages();
        assertThat(messages.get(messages.size() - 3).text()).startsWith("message 39 ");
    }

    @Test
    void compose_leavesTheExamplesOut_whenTheyDoNotFitTheirShareOfTheBudget() {
        PromptComposer.Prompt roomy = compose(history(2, ""), "", Recollection.empty(), 4000, 24);
        PromptComposer.Prompt tight = compose(
                history(2, ""),
                "",
                Recollection.empty(),
                TokenEstimate.of(roomy.request().systemPrompt()) + 30,
                24);

        assertThat(roomy.exampleMessages()).isEqualTo(4);
        assertThat(tight.exampleMessages()).isZero();
        assertThat(tight.request().messages())
                .extracting(ModelMessage::text)
                .doesNotContain("Read the first error, not the last.")
                .contains("What now?");
    }

    @Test
    void compose_expandsMacrosInKnowledgeAndMemories() {
        Recollection recalled = new Recollection(
                List.of(item("f1", "{{user}} likes tea.")),
                List.of(item("k1", "{{char}} owns three sextants. <BOT> knows <USER>.")));

        PromptComposer.Prompt prompt = compose(List.of(), "", recalled, 4000, 24);

        assertThat(prompt.request().systemPrompt())
                .contains("- Zen Engineer owns three sextants. Zen Engineer knows Ada.")
                .contains("- Ada likes tea.")
                .doesNotContain("{{")
                .doesNotContain("<BOT>");
        assertThat(((PersonaGrounding) prompt.request().grounding().orElseThrow()).knowledge())
                .containsExactly("Zen Engineer owns three sextants. Zen Engineer knows Ada.");
    }

    @Test
    void compose_neverSendsMoreThanTheWindow() {
        PromptComposer.Prompt prompt = compose(history(30, ""), "", Recollection.empty(), 100_000, 6);

        assertThat(prompt.windowMessages()).isEqualTo(6);
        assertThat(prompt.omittedMessages()).isEqualTo(24);
        assertThat(prompt.request().messages().get(prompt.exampleMessages()).text())
                .startsWith("message 24");
    }

    @Test
    void compose_putsRecalledKnowledgeAndMemoriesIntoTheSystemPrompt_withinTheirShare() {
        Recollection recalled = new Recollection(
                List.of(item("f1", "Ada runs PostgreSQL 16."), item("f2", "long ".repeat(2000))),
                List.of(item("k1", "VACUUM reclaims dead rows.")));

        PromptComposer.Prompt prompt = compose(List.of(), "", recalled, 4000, 24);

        assertThat(prompt.request().systemPrompt())
                .contains("## What you know\n- VACUUM reclaims dead rows.")
                .contains("## What you remember about Ada\n- Ada runs PostgreSQL 16.")
                .doesNotContain("long long");
        assertThat(prompt.knowledgeIds()).containsExactly("k1");
        assertThat(prompt.memoryIds()).containsExactly("f1");
        assertThat(((PersonaGrounding) prompt.request().grounding().orElseThrow()).memories())
                .containsExactly("Ada runs PostgreSQL 16.");
    }

    @Test
    void compose_cutsAKnowledgeItemLargerThanItsBlock_insteadOfDroppingIt() {
        // Recall measures items without the bullet and the heading; a lore entry already cut to the recall
        // budget must still reach the model (issue 12).
        String lore = "The charter opens the archive. " + "Ledgers line the walls. ".repeat(2000);
        PromptComposer.Prompt prompt =
                compose(List.of(), "", new Recollection(List.of(), List.of(item("k1", lore))), 4000, 24);

        assertThat(prompt.knowledgeIds()).containsExactly("k1");
        assertThat(prompt.request().systemPrompt())
                .contains("## What you know\n- The charter opens the archive.")
                .doesNotContain(lore.strip());
    }

    @Test
    void compose_includesTheSummaryOfOlderTurns() {
        PromptComposer.Prompt prompt =
                compose(history(2, ""), "- The user said: my name is Ada.", Recollection.empty(), 4000, 24);

        assertThat(prompt.summaryIncluded()).isTrue();
        assertThat(prompt.request().systemPrompt())
                .endsWith("## Earlier in this conversation\n- The user said: my name is Ada.");
    }

    @Test
    void compose_whenThePersonaAloneFillsTheBudget_stillSendsItWholeAndTheMessage() {
        PromptComposer.Prompt prompt =
                compose(history(10, ""), "summary", new Recollection(List.of(item("f", "fact")), List.of()), 10, 24);

        assertThat(prompt.request().systemPrompt())
                .contains("## Zen Engineer")
                .doesNotContain("fact")
                .doesNotContain("summary");
        assertThat(prompt.windowMessages()).isZero();
        assertThat(prompt.request().messages())
                .extracting(ModelMessage::text)
                .containsExactly("What now?", "Stay calm.");
        assertThat(prompt.estimatedTokens()).isGreaterThan(TokenEstimate.of("What now?"));
    }

    private static StoredMessage said(String id, String role, String text, Optional<Speaker> speaker) {
        return new StoredMessage(
                id,
                "c",
                1,
                role,
                text,
                "api",
                Optional.empty(),
                "ada",
                PersonalityId.of("zen-engineer"),
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                "answered",
                Instant.EPOCH,
                speaker);
    }

    @Test
    void compose_withSeveralSpeakers_prefixesEachUserTurnWithWhoSaidIt_andWithOneSpeakerNothing() {
        List<StoredMessage> group = List.of(
                said("m1", StoredMessage.USER, "I moved to Oslo", Optional.of(Speaker.named("Ana"))),
                said("m2", StoredMessage.ASSISTANT, "Welcome!", Optional.empty()),
                said("m3", StoredMessage.USER, "Nice", Optional.empty()));
        PromptComposer.Prompt prompt = composer.compose(new PromptComposer.Input(
                Personalities.zen(0.5),
                "ada",
                group,
                "",
                "What now?",
                Recollection.empty(),
                4000,
                1000,
                24,
                false,
                false,
                Optional.of(new Speaker("Ola", Optional.of("telegram:7")))));
        assertThat(prompt.request().messages())
                .extracting(ModelMessage::text)
                .containsSubsequence("Ana: I moved to Oslo", "Welcome!", "ada: Nice", "Ola: What now?");

        PromptComposer.Prompt alone = composer.compose(new PromptComposer.Input(
                Personalities.zen(0.5),
                "ada",
                List.of(said("m1", StoredMessage.USER, "I moved to Oslo", Optional.empty())),
                "",
                "What now?",
                Recollection.empty(),
                4000,
                1000,
                24,
                false,
                false,
                Optional.empty()));
        assertThat(alone.request().messages())
                .extracting(ModelMessage::text)
                .contains("I moved to Oslo", "What now?")
                .noneMatch(text -> text.startsWith("ada:"));
    }
}
