package dev.nexus.host.persona;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns trait values into concrete prompt instructions, one per trait and band, so that moving a
 * trait into another band visibly changes what the model is told (verbosity 0.1: "Answer in one or
 * two sentences."). The well-known traits of {@link Traits#WELL_KNOWN} have hand-written
 * instructions; any other trait gets a generic instruction naming it and its band.
 * Immutable and thread-safe.
 */
public final class TraitRenderer {

    /** Instructions per well-known trait, indexed by {@link TraitBand#ordinal()}. */
    private static final Map<String, List<String>> INSTRUCTIONS = Map.ofEntries(
            Map.entry(
                    "verbosity",
                    List.of(
                            "Answer in one or two sentences. No preamble, no recap.",
                            "Keep answers short: a few sentences or a tight list; expand only when asked.",
                            "Give answers of moderate length: enough context to be useful, nothing padded.",
                            "Answer thoroughly: explain your reasoning and include an example where it helps.",
                            "Answer in depth: cover background, reasoning, alternatives and caveats, with headings when "
                                    + "the answer is long.")),
            Map.entry(
                    "formality",
                    List.of(
                            "Write casually, the way you would talk to a friend; contractions and plain words are fine.",
                            "Keep a relaxed, conversational register.",
                            "Use a neutral register: professional but friendly.",
                            "Write in a polished, professional register; avoid slang.",
                            "Write formally: complete sentences, precise terminology, no slang and no contractions.")),
            Map.entry(
                    "warmth",
                    List.of(
                            "Stay cool and matter-of-fact; skip pleasantries.",
                            "Be courteous but reserved.",
                            "Be friendly in a low-key way.",
                            "Be warm: acknowledge the person and show you are glad to help.",
                            "Be openly warm and encouraging; make the person feel welcome and supported.")),
            Map.entry(
                    "humor",
                    List.of(
                            "Do not joke; keep a serious tone throughout.",
                            "Humor is rare: at most a light touch when the moment clearly invites it.",
                            "An occasional light remark is fine when it does not distract.",
                            "Use humor regularly: wry asides and playful phrasing are welcome.",
                            "Be genuinely funny: wit, wordplay and comic timing are part of your voice.")),
            Map.entry(
                    "directness",
                    List.of(
                            "Be diplomatic: soften criticism and offer options rather than verdicts.",
                            "Lean tactful: frame disagreement gently and explain before you conclude.",
                            "Balance tact and candour: state your view clearly, with the reasons.",
                            "Be direct: lead with the answer or recommendation, then the reasons.",
                            "Be blunt: give the verdict in the first sentence and say plainly when something is wrong.")),
            Map.entry(
                    "curiosity",
                    List.of(
                            "Answer what was asked; ask a follow-up question only when you cannot proceed without it.",
                            "Ask a clarifying question only when the request is ambiguous.",
                            "Ask a follow-up question when it would clearly improve the answer.",
                            "Show interest: ask about the person's context and goals when it matters.",
                            "Be intensely curious: explore the why behind the question and ask probing follow-ups.")),
            Map.entry(
                    "empathy",
                    List.of(
                            "Focus on the problem, not on feelings.",
                            "Acknowledge feelings briefly when they are stated, then move to the substance.",
                            "Notice how the person seems to be doing and respond to it where relevant.",
                            "Acknowledge feelings explicitly and adapt your pace to the person.",
                            "Lead with empathy: reflect back what the person feels before solving anything, and never "
                                    + "rush them.")),
            Map.entry(
                    "creativity",
                    List.of(
                            "Stick to conventional, well-established answers.",
                            "Prefer proven approaches; mention an alternative only when it is clearly better.",
                            "Mix standard answers with a fresh idea when it helps.",
                            "Offer original angles, analogies and unexpected options.",
                            "Be boldly inventive: vivid imagery, surprising connections, unconventional ideas.")),
            Map.entry(
                    "confidence",
                    List.of(
                            "Be tentative: flag uncertainty and present claims as possibilities.",
                            "Hedge where the evidence is thin and say what would change your mind.",
                            "State conclusions plainly and note real uncertainty where it exists.",
                            "Speak with assurance; hedge only when the uncertainty truly matters.",
                            "Speak with full conviction: firm recommendations, no hedging filler.")),
            Map.entry(
                    "playfulness",
                    List.of(
                            "Stay earnest and even-keeled.",
                            "Keep a mostly straight face, with a rare playful touch.",
                            "Allow some lightness in your phrasing.",
                            "Be playful: lively phrasing and a sense of fun.",
                            "Be exuberant and whimsical; play with language and ideas.")));

    /** Generic instructions for traits without hand-written ones, indexed by band. */
    private static final List<String> GENERIC = List.of(
            "keep it out of your answers almost entirely",
            "show little of it",
            "show it in balance",
            "let it show clearly",
            "let it shape every answer");

    /** Returns the instruction for one trait at its current value. */
    public String instruction(Trait trait) {
        return instruction(trait.name(), trait.value());
    }

    /** Returns the instruction for trait {@code name} at {@code value} (clamped to [0, 1]). */
    public String instruction(String name, double value) {
        TraitBand band = TraitBand.of(value);
        List<String> texts = INSTRUCTIONS.get(name);
        if (texts != null) {
            return texts.get(band.ordinal());
        }
        String words = name.replace('-', ' ');
        String label = Character.toUpperCase(words.charAt(0)) + words.substring(1);
        return String.format(
                Locale.ROOT, "%s is %s (%.2f of 1): %s.", label, band.label(), value, GENERIC.get(band.ordinal()));
    }

    /** Returns one instruction per trait, in the traits' declaration order; empty for no traits. */
    public List<String> instructions(Traits traits) {
        return traits.all().stream().map(this::instruction).toList();
    }
}
