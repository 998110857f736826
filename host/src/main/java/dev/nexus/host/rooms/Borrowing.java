package dev.nexus.host.rooms;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trait borrowing: one personality answers with another's value of a trait ("use Hunter's
 * directness"), for one turn or for a whole room. The lender's value is read from its current
 * version at the moment of the turn; the borrower's copy exists for that turn only, so neither
 * personality's stored versions change. What was lent is written into the reply's metadata. Stateless.
 */
final class Borrowing {

    /** A personality as it answers this turn, with what it borrowed (for the metadata). */
    record Lent(Personality personality, List<Map<String, Object>> borrowed) {}

    private Borrowing() {}

    /**
     * Checks that every loan names existing personalities and a trait the lender declares.
     *
     * @throws NotFoundException for an unknown lender or borrower
     * @throws InvalidInputException when the lender does not declare the trait
     */
    static void check(List<TraitLoan> loans, PersonalityLookup lookup) {
        for (TraitLoan loan : loans) {
            version(lookup, loan.borrower());
            PersonalityVersion lender = version(lookup, loan.lender());
            if (lender.personality().traits().trait(loan.trait()).isEmpty()) {
                throw new InvalidInputException("personality '" + loan.lender() + "' has no trait '"
                        + InvalidInputException.cap(loan.trait()) + "' to lend; its traits are "
                        + lender.personality().traits().values().keySet());
            }
        }
    }

    /** Returns {@code version}'s personality with the loans addressed to it applied (turn loans win over room loans). */
    static Lent apply(PersonalityVersion version, List<TraitLoan> loans, PersonalityLookup lookup) {
        Personality personality = version.personality();
        Map<String, TraitLoan> byTrait = new LinkedHashMap<>();
        for (TraitLoan loan : loans) {
            if (loan.borrower().equals(personality.id().value())) {
                byTrait.put(loan.trait(), loan);
            }
        }
        if (byTrait.isEmpty()) {
            return new Lent(personality, List.of());
        }
        List<Trait> traits = new ArrayList<>(personality.traits().all());
        List<Map<String, Object>> borrowed = new ArrayList<>();
        for (TraitLoan loan : byTrait.values()) {
            PersonalityVersion lender = version(lookup, loan.lender());
            Trait lent = lender.personality()
                    .traits()
                    .trait(loan.trait())
                    .orElseThrow(() -> new InvalidInputException("personality '" + loan.lender()
                            + "' no longer has a trait '" + loan.trait() + "' to lend"));
            Map<String, Object> note = new LinkedHashMap<>();
            note.put("trait", loan.trait());
            note.put("from", loan.lender());
            note.put("fromVersion", lender.version());
            note.put("value", lent.value());
            personality.traits().trait(loan.trait()).ifPresent(own -> note.put("own", own.value()));
            borrowed.add(note);
            traits.removeIf(t -> t.name().equals(loan.trait()));
            // Bounds of the borrower's own trait do not apply to a loan: the lender's value is used as it is.
            traits.add(new Trait(loan.trait(), lent.value(), false, 0, 1));
        }
        return new Lent(personality.withTraits(Traits.of(traits)), borrowed);
    }

    private static PersonalityVersion version(PersonalityLookup lookup, String id) {
        return lookup.current(PersonalityId.of(id)).orElseThrow(() -> NotFoundException.of("personality", id));
    }
}
