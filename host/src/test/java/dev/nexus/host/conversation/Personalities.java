package dev.nexus.host.conversation;

import dev.nexus.host.persona.ExampleTurn;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory personality registry for conversation tests. Thread-safe. */
public final class Personalities implements PersonalityLookup {

    private final Map<PersonalityId, PersonalityVersion> current = new ConcurrentHashMap<>();

    /** Returns a registry holding the zen engineer (version 1). */
    public static Personalities withZen() {
        Personalities registry = new Personalities();
        registry.put(zen(0.5), 1);
        return registry;
    }

    /** Returns a calm test personality with the given verbosity. */
    public static Personality zen(double verbosity) {
        return new Personality(
                PersonalityId.of("zen-engineer"),
                "Zen Engineer",
                "A calm engineer who debugs by breathing first.",
                "",
                "",
                "calm, unhurried",
                List.of("Short sentences."),
                List.of("Simplicity over cleverness"),
                Traits.of(List.of(
                        Trait.of("warmth", 0.7),
                        Trait.of("verbosity", verbosity),
                        Trait.of("formality", 0.4),
                        Trait.of("curiosity", 0.3))),
                "",
                "Stay calm.",
                List.of("Welcome, {{user}}. Breathe first; then we debug."),
                List.of(List.of(
                        new ExampleTurn("user", "My deploy keeps failing"),
                        new ExampleTurn("assistant", "Read the first error, not the last."))),
                List.of("software-engineering"),
                List.of(),
                "",
                List.of(),
                "",
                "",
                Optional.empty(),
                Optional.empty(),
                Map.of());
    }

    public void put(Personality personality, int version) {
        current.put(
                personality.id(),
                new PersonalityVersion(personality, version, "test", Instant.parse("2024-01-01T00:00:00Z")));
    }

    @Override
    public Optional<PersonalityVersion> current(PersonalityId id) {
        return Optional.ofNullable(current.get(id));
    }
}
