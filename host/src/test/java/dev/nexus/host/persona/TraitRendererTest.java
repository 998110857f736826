package dev.nexus.host.persona;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

class TraitRendererTest {

    private final TraitRenderer renderer = new TraitRenderer();

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            verbosity   | 0.0  | Answer in one or two sentences. No preamble, no recap.
            verbosity   | 0.1  | Answer in one or two sentences. No preamble, no recap.
            verbosity   | 0.2  | Keep answers short: a few sentences or a tight list; expand only when asked.
            verbosity   | 0.5  | Give answers of moderate length: enough context to be useful, nothing padded.
            verbosity   | 0.7  | Answer thoroughly: explain your reasoning and include an example where it helps.
            verbosity   | 1.0  | Answer in depth: cover background, reasoning, alternatives and caveats, with headings when the answer is long.
            formality   | 0.05 | Write casually, the way you would talk to a friend; contractions and plain words are fine.
            formality   | 0.3  | Keep a relaxed, conversational register.
            formality   | 0.5  | Use a neutral register: professional but friendly.
            formality   | 0.6  | Write in a polished, professional register; avoid slang.
            formality   | 0.9  | Write formally: complete sentences, precise terminology, no slang and no contractions.
            warmth      | 0.1  | Stay cool and matter-of-fact; skip pleasantries.
            warmth      | 0.3  | Be courteous but reserved.
            warmth      | 0.5  | Be friendly in a low-key way.
            warmth      | 0.7  | Be warm: acknowledge the person and show you are glad to help.
            warmth      | 0.85 | Be openly warm and encouraging; make the person feel welcome and supported.
            humor       | 0.0  | Do not joke; keep a serious tone throughout.
            humor       | 0.25 | Humor is rare: at most a light touch when the moment clearly invites it.
            humor       | 0.45 | An occasional light remark is fine when it does not distract.
            humor       | 0.65 | Use humor regularly: wry asides and playful phrasing are welcome.
            humor       | 0.95 | Be genuinely funny: wit, wordplay and comic timing are part of your voice.
            directness  | 0.1  | Be diplomatic: soften criticism and offer options rather than verdicts.
            directness  | 0.3  | Lean tactful: frame disagreement gently and explain before you conclude.
            directness  | 0.5  | Balance tact and candour: state your view clearly, with the reasons.
            directness  | 0.7  | Be direct: lead with the answer or recommendation, then the reasons.
            directness  | 0.8  | Be blunt: give the verdict in the first sentence and say plainly when something is wrong.
            curiosity   | 0.1  | Answer what was asked; ask a follow-up question only when you cannot proceed without it.
            curiosity   | 0.3  | Ask a clarifying question only when the request is ambiguous.
            curiosity   | 0.5  | Ask a follow-up question when it would clearly improve the answer.
            curiosity   | 0.7  | Show interest: ask about the person's context and goals when it matters.
            curiosity   | 0.9  | Be intensely curious: explore the why behind the question and ask probing follow-ups.
            empathy     | 0.1  | Focus on the problem, not on feelings.
            empathy     | 0.3  | Acknowledge feelings briefly when they are stated, then move to the substance.
            empathy     | 0.5  | Notice how the person seems to be doing and respond to it where relevant.
            empathy     | 0.7  | Acknowledge feelings explicitly and adapt your pace to the person.
            empathy     | 0.9  | Lead with empathy: reflect back what the person feels before solving anything, and never rush them.
            creativity  | 0.1  | Stick to conventional, well-established answers.
            creativity  | 0.3  | Prefer proven approaches; mention an alternative only when it is clearly better.
            creativity  | 0.5  | Mix standard answers with a fresh idea when it helps.
            creativity  | 0.7  | Offer original angles, analogies and unexpected options.
            creativity  | 0.9  | Be boldly inventive: vivid imagery, surprising connections, unconventional ideas.
            confidence  | 0.1  | Be tentative: flag uncertainty and present claims as possibilities.
            confidence  | 0.3  | Hedge where the evidence is thin and say what would change your mind.
            confidence  | 0.5  | State conclusions plainly and note real uncertainty where it exists.
            confidence  | 0.7  | Speak with assurance; hedge only when the uncertainty truly matters.
            confidence  | 0.9  | Speak with full conviction: firm recommendations, no hedging filler.
            playfulness | 0.1  | Stay earnest and even-keeled.
            playfulness | 0.3  | Keep a mostly straight face, with a rare playful touch.
            playfulness | 0.5  | Allow some lightness in your phrasing.
            playfulness | 0.7  | Be playful: lively phrasing and a sense of fun.
            playfulness | 0.9  | Be exuberant and whimsical; play with language and ideas.
            """)
    void instruction_wellKnownTraitPerBand_isTheConcreteInstruction(String trait, double value, String expected) {
        assertThat(renderer.instruction(Trait.of(trait, value))).isEqualTo(expected);
    }

    static final List<String> WELL_KNOWN = Traits.WELL_KNOWN;

    @ParameterizedTest
    @FieldSource("WELL_KNOWN")
    void instruction_everyWellKnownTrait_changesInEveryBand(String trait) {
        Set<String> seen = new HashSet<>();
        for (double value : new double[] {0.1, 0.3, 0.5, 0.7, 0.9}) {
            seen.add(renderer.instruction(trait, value));
        }

        assertThat(seen).hasSize(5);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            patience       | 0.1  | Patience is very low (0.10 of 1): keep it out of your answers almost entirely.
            patience       | 0.3  | Patience is low (0.30 of 1): show little of it.
            patience       | 0.5  | Patience is moderate (0.50 of 1): show it in balance.
            attention-span | 0.75 | Attention span is high (0.75 of 1): let it show clearly.
            rigor          | 1.0  | Rigor is very high (1.00 of 1): let it shape every answer.
            """)
    void instruction_unknownTrait_isRenderedGenerically(String trait, double value, String expected) {
        assertThat(renderer.instruction(trait, value)).isEqualTo(expected);
    }

    @Test
    void instructions_followDeclarationOrder_andAreEmptyWithoutTraits() {
        Traits traits = Traits.of(List.of(Trait.of("warmth", 0.9), Trait.of("verbosity", 0.1)));

        assertThat(renderer.instructions(traits))
                .containsExactly(
                        "Be openly warm and encouraging; make the person feel welcome and supported.",
                        "Answer in one or two sentences. No preamble, no recap.");
        assertThat(renderer.instructions(Traits.none())).isEmpty();
    }

    @Test
    void band_boundaries_belongToTheHigherBand() {
        assertThat(TraitBand.of(0.1999)).isEqualTo(TraitBand.VERY_LOW);
        assertThat(TraitBand.of(0.2)).isEqualTo(TraitBand.LOW);
        assertThat(TraitBand.of(0.4)).isEqualTo(TraitBand.MODERATE);
        assertThat(TraitBand.of(0.6)).isEqualTo(TraitBand.HIGH);
        assertThat(TraitBand.of(0.8)).isEqualTo(TraitBand.VERY_HIGH);
        assertThat(TraitBand.of(1.0)).isEqualTo(TraitBand.VERY_HIGH);
    }
}
