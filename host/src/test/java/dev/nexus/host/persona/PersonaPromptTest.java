package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PersonaPromptTest {

    private final PersonaPrompt prompt = new PersonaPrompt(new TraitRenderer());

    private static Personality zen(String systemPrompt, Traits traits) {
        return new Personality(
                PersonalityId.of("zen"),
                "Zen",
                "A calm engineer helping {{user}}.",
                "Calm.",
                "A quiet office.",
                "unhurried",
                List.of("Short sentences."),
                List.of("clarity"),
                traits,
                systemPrompt,
                "Remember {{user}} is tired. {{original}}",
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                "never in prompt",
                List.of(),
                "",
                "",
                Optional.empty(),
                Optional.empty(),
                Map.of());
    }

    @Test
    void section_rendersEveryPartInOrder_withMacrosExpanded() {
        String section = prompt.section(
                zen(
                        "You are {{char}}, talking to {{USER}}. {{ original }}",
                        Traits.of(List.of(Trait.of("verbosity", 0.1)))),
                "Ada",
                "Be helpful.");

        assertThat(section).isEqualTo("""
                You are Zen, talking to Ada. Be helpful.

                ## Zen
                A calm engineer helping Ada.

                Personality: Calm.
                Scenario: A quiet office.
                Voice and tone: unhurried

                Style:
                - Short sentences.

                Values:
                - clarity

                How to respond:
                - Answer in one or two sentences. No preamble, no recap.""");
    }

    @Test
    void section_withoutTemplate_startsWithTheHostDefault_orNamesTheCharacter() {
        Personality p = zen("", Traits.none());

        assertThat(prompt.section(p, "Ada", "Be helpful to <USER>.")).startsWith("Be helpful to Ada.\n\n## Zen\n");
        assertThat(prompt.section(p, "Ada", ""))
                .startsWith("You are Zen.\n\n## Zen\n")
                .doesNotContain("How to respond");
        assertThat(prompt.section(p, "Ada", "")).doesNotContain("never in prompt");
    }

    @Test
    void section_changingATraitBand_changesThePrompt() {
        String terse = prompt.section(zen("", Traits.of(List.of(Trait.of("verbosity", 0.1)))), "Ada", "");
        String thorough = prompt.section(zen("", Traits.of(List.of(Trait.of("verbosity", 0.9)))), "Ada", "");

        assertThat(terse).contains("Answer in one or two sentences.");
        assertThat(thorough).contains("Answer in depth").doesNotContain("Answer in one or two sentences.");
    }

    @Test
    void postHistory_expandsMacros() {
        assertThat(prompt.postHistory(zen("", Traits.none()), "Ada", "Stay safe."))
                .isEqualTo("Remember Ada is tired. Stay safe.");
    }

    @Test
    void expand_legacyAndCaseInsensitiveMacros_namesAreNotExpandedAgain() {
        assertThat(PersonaPrompt.expand(
                        "<BOT> greets <user>; {{Char}} and {{USER}}; {{random:x,x}}", "{{user}}", "$1 Ada\\", ""))
                .isEqualTo("{{user}} greets $1 Ada\\; {{user}} and $1 Ada\\; x");
    }

    @Test
    void expand_original_expandsTheMacrosInsideIt_toAFixedPoint() {
        assertThat(PersonaPrompt.expand(
                        "{{original}} Stay kind.", "Zen", "Ada", "You are {{char}}, talking with {{user}}."))
                .isEqualTo("You are Zen, talking with Ada. Stay kind.");
        assertThat(PersonaPrompt.expand("{{random::{{char}} waves::{{char}} waves}}", "Zen", "Ada", ""))
                .isEqualTo("Zen waves");
        assertThat(PersonaPrompt.expand("{{random::<BOT> waves::<BOT> waves}}", "Zen", "Ada", ""))
                .isEqualTo("Zen waves");
        assertThat(PersonaPrompt.expand("{{original}}", "Zen", "Ada", "{{original}} loops"))
                .as("a self-referencing default prompt stops after a fixed number of passes")
                .endsWith(" loops loops");
    }

    @Test
    void expand_sillyTavernAndElizaMacros() {
        assertThat(PersonaPrompt.expand(
                        "a{{newline}}b{{trim}}{{noop}}{{// a note}} {{agentName}} and {{user1}}, {{name2}}",
                        "Zen",
                        "Ada",
                        ""))
                .isEqualTo("a\nb Zen and Ada, Ada");
        String picked = PersonaPrompt.expand("{{random:red, green, blue}}", "Zen", "Ada", "");
        assertThat(picked)
                .isIn("red", "green", "blue")
                .isEqualTo(PersonaPrompt.expand("{{random:red, green, blue}}", "Zen", "Ada", ""));
    }

    @Test
    void expand_leavesNonMacrosAlone() {
        assertThat(PersonaPrompt.expand("no macros here", "Zen", "Ada", "")).isEqualTo("no macros here");
        assertThat(PersonaPrompt.expand("{{char", "Zen", "Ada", "")).isEqualTo("{{char");
        assertThat(PersonaPrompt.expand("{{ unknown }} <b>", "Zen", "Ada", "")).isEqualTo("{{ unknown }} <b>");
        assertThat(PersonaPrompt.expand("{{{char}}} <Bot><USER> {{ ORIGINAL }}", "Zen", "Ada", "Be kind."))
                .isEqualTo("{Zen} ZenAda Be kind.");
        assertThat(PersonaPrompt.expand("{{" + " ".repeat(40) + "char}} {{user}}", "Zen", "Ada", ""))
                .isEqualTo("Zen Ada");
    }
}
