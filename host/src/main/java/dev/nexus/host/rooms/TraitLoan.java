package dev.nexus.host.rooms;

import dev.nexus.host.InvalidInputException;

/**
 * One personality answering with another's value of a trait ("use Hunter's directness"), for a turn
 * or a whole room. Never changes a stored version. Immutable.
 *
 * @param personality the borrower, who answers
 * @param trait the trait lent
 * @param from the lender, whose current value is used
 */
public record TraitLoan(String personality, String trait, String from) {

    /** Validates that all three are given. */
    public TraitLoan {
        if (blank(personality) || blank(trait) || blank(from)) {
            throw new InvalidInputException("a trait loan needs 'personality', 'trait' and 'from', e.g. "
                    + "{\"personality\":\"chef-marco\",\"trait\":\"directness\",\"from\":\"hunter\"}");
        }
    }

    String borrower() {
        return personality;
    }

    String lender() {
        return from;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
