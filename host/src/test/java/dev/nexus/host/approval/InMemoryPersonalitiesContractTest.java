package dev.nexus.host.approval;

import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityLookup;

/** The fake passes the contract the real registry passes ({@link PersonalityServiceWriterContractTest}). */
class InMemoryPersonalitiesContractTest extends PersonalityWriterContract {

    private final InMemoryPersonalities personalities = new InMemoryPersonalities();

    @Override
    protected PersonalityWriter writer() {
        return personalities;
    }

    @Override
    protected PersonalityLookup lookup() {
        return personalities;
    }

    @Override
    protected void add(Personality personality) {
        personalities.add(personality);
    }
}
