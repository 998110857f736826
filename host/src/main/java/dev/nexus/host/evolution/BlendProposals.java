package dev.nexus.host.evolution;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.approval.NewProposal;
import dev.nexus.host.approval.Proposal;
import dev.nexus.host.approval.ProposalKind;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.approval.ProposalState;
import dev.nexus.host.db.Database;
import dev.nexus.host.persona.ExampleTurn;
import dev.nexus.host.persona.PersonaCodec;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityService;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.persona.Registered;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Proposed personalities (issue 17): from the interactions people rated well, proposes a new
 * personality blended from two or three existing ones — traits averaged by how well each was rated,
 * their values, style and knowledge, and their best-rated exchanges as example dialogue. A blend is
 * filed as a {@code personality-blend} proposal and created only when an approver approves it; at
 * most {@link #MAX_PENDING} wait at once. Thread-safe.
 */
public final class BlendProposals {

    /** How many blend proposals may wait for a decision at once. */
    public static final int MAX_PENDING = 3;
    /** A personality takes part in an automatic blend with at least this many ratings ... */
    static final int MIN_RATINGS = 5;
    /** ... averaging at least this (ratings normalised to [0, 1]: 4 stars = 0.75). */
    static final double MIN_MEAN = 0.7;
    /** A rated reply becomes an example of the blend when rated at least this (4 stars or thumbs up). */
    static final double EXAMPLE_RATING = 0.75;

    static final int EXAMPLES_PER_SOURCE = 3;
    private static final int FEEDBACK_WINDOW = 500;
    private static final int MAX_LIST = 8;

    /** The exchange a rated reply belongs to: the person's message and the reply. */
    public record Exchange(String userText, String replyText) {}

    /** Finds the exchange of a stored reply; the conversation store implements it. */
    @FunctionalInterface
    public interface Exchanges {
        /** The exchange whose reply is {@code replyId}; empty when it is no stored reply. */
        Optional<Exchange> of(String replyId);
    }

    /** What an admin may ask for: the sources (2-3 ids; empty picks the best rated), the new id and name. */
    public record BlendBody(List<String> sources, String id, String name) {}

    /** A source personality with what its ratings say. */
    private record Source(PersonalityVersion version, int ratings, double mean, List<Feedback> feedback) {
        double weight() {
            return ratings == 0 ? 1.0 : mean * ratings;
        }
    }

    private final FeedbackRepository feedback;
    private final PersonalityService personalities;
    private final Exchanges exchanges;
    private final ProposalService proposals;

    public BlendProposals(
            Database database, PersonalityService personalities, Exchanges exchanges, ProposalService proposals) {
        this.feedback = new FeedbackRepository(database);
        this.personalities = personalities;
        this.exchanges = exchanges;
        this.proposals = proposals;
    }

    /** Registers the applier: approving a blend creates the personality it holds (version 1, owned by the API). */
    public BlendProposals install() {
        proposals.register(ProposalKind.PERSONALITY_BLEND, proposal -> {
            PersonalityId id = PersonalityId.of(proposal.subject());
            if (personalities.current(id).isPresent()) {
                throw new ConflictException(
                        "personality '" + id + "' exists now; the blend was proposed before it was created");
            }
            Personality blend = codec().decodeTree(
                            "proposal " + proposal.id(), proposal.payload().get("personality"), Optional.of(id));
            PersonalityVersion created = personalities.create(blend);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("personality", created.id().value());
            result.put("version", created.version());
            return result;
        });
        return this;
    }

    /**
     * Proposes a blend.
     *
     * @throws InvalidInputException for unknown, repeated or too few/many sources, or a bad id or name
     * @throws ConflictException when {@link #MAX_PENDING} blends already wait, the id is taken, or (with
     *     no sources named) fewer than two personalities are rated well enough
     */
    public synchronized Proposal propose(BlendBody body, String proposer) {
        List<Source> sources = body.sources() == null || body.sources().isEmpty() ? bestRated() : named(body.sources());
        String name = body.name() == null || body.name().isBlank()
                ? String.join(
                        " × ",
                        sources.stream()
                                .map(s -> s.version().personality().name())
                                .toList())
                : body.name().strip();
        if (name.length() > Personality.MAX_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(
                    "field 'name' must be 1-" + Personality.MAX_NAME_CHARS + " characters without control characters");
        }
        PersonalityId id = body.id() == null || body.id().isBlank()
                ? PersonalityId.slug(String.join(
                        "-x-",
                        sources.stream().map(s -> s.version().id().value()).toList()))
                : PersonalityId.of(body.id().strip());
        if (personalities.current(id).isPresent()) {
            throw new ConflictException("personality id '" + id + "' is taken; name another with field 'id'");
        }
        long waiting = proposals.list(Optional.of(ProposalState.PENDING)).stream()
                .filter(p -> p.kind() == ProposalKind.PERSONALITY_BLEND)
                .count();
        if (waiting >= MAX_PENDING) {
            throw new ConflictException(waiting + " personality blends already wait for a decision (at most "
                    + MAX_PENDING + "); approve or reject them in /v1/proposals first");
        }
        Personality blend = blend(id, name, sources);
        Map<String, Object> document = codec().tree(blend, PersonaCodec.KeyStyle.CAMEL);
        // Read back as approval will read it, so a blend the registry would refuse is never filed.
        codec().decodeTree("the blend of " + id, document, Optional.of(id));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("personality", document);
        payload.put(
                "evidence",
                Map.of(
                        "sources",
                        sources.stream()
                                .map(s -> {
                                    Map<String, Object> source = new LinkedHashMap<>();
                                    source.put("personality", s.version().id().value());
                                    source.put("version", s.version().version());
                                    source.put("ratings", s.ratings());
                                    source.put("meanRating", Math.round(s.mean() * 1000) / 1000.0);
                                    return source;
                                })
                                .toList()));
        payload.put(
                "reason",
                "A new personality blended from "
                        + String.join(
                                " and ",
                                sources.stream()
                                        .map(s -> s.version().id().value())
                                        .toList()) + ", from their best-rated conversations; "
                        + "approving it creates '" + id + "'.");
        return proposals.propose(
                new NewProposal(ProposalKind.PERSONALITY_BLEND, id.value(), OptionalInt.empty(), payload), proposer);
    }

    /** The two best-rated personalities with enough ratings. */
    private List<Source> bestRated() {
        List<Source> rated = new ArrayList<>();
        for (Registered registered : personalities.list()) {
            Source source = source(registered.version());
            if (source.ratings() >= MIN_RATINGS && source.mean() >= MIN_MEAN) {
                rated.add(source);
            }
        }
        if (rated.size() < 2) {
            throw new ConflictException(
                    "nothing to blend yet: a blend needs two personalities with at least " + MIN_RATINGS
                            + " ratings averaging " + MIN_MEAN + " or more (4 stars = 0.75), and " + rated.size()
                            + " qualify; name the sources in field 'sources' to blend others");
        }
        rated.sort(Comparator.comparingDouble(Source::mean)
                .thenComparingInt(Source::ratings)
                .reversed());
        return rated.subList(0, 2);
    }

    private List<Source> named(List<String> ids) {
        Set<String> distinct = new LinkedHashSet<>(ids);
        if (distinct.size() != ids.size() || ids.size() < 2 || ids.size() > 3) {
            throw new InvalidInputException("field 'sources' must name 2 or 3 different personalities, got "
                    + ids.size() + (distinct.size() != ids.size() ? " with repeats" : ""));
        }
        List<Source> sources = new ArrayList<>();
        for (String id : ids) {
            PersonalityVersion version = personalities
                    .current(PersonalityId.of(id == null ? "" : id))
                    .orElseThrow(() -> new InvalidInputException("field 'sources' names an unknown personality '"
                            + InvalidInputException.cap(id) + "'; see GET /v1/personalities"));
            sources.add(source(version));
        }
        return sources;
    }

    private Source source(PersonalityVersion version) {
        List<Feedback> rated = feedback.forPersonality(version.id().value(), FEEDBACK_WINDOW).stream()
                .filter(f -> f.rating().isPresent())
                .toList();
        double mean = rated.stream()
                .mapToDouble(f -> f.rating().getAsDouble())
                .average()
                .orElse(0);
        return new Source(version, rated.size(), mean, rated);
    }

    private Personality blend(PersonalityId id, String name, List<Source> sources) {
        List<Personality> parts =
                sources.stream().map(s -> s.version().personality()).toList();
        double total = sources.stream().mapToDouble(Source::weight).sum();
        Map<String, double[]> sums = new LinkedHashMap<>(); // weighted value, weight, min, max, evolvable
        for (Source source : sources) {
            for (Trait trait : source.version().personality().traits().all()) {
                double[] sum = sums.computeIfAbsent(trait.name(), n -> new double[] {0, 0, 1, 0, 0});
                sum[0] += trait.value() * source.weight();
                sum[1] += source.weight();
                sum[2] = Math.min(sum[2], trait.min());
                sum[3] = Math.max(sum[3], trait.max());
                sum[4] = trait.evolvable() ? 1 : sum[4];
            }
        }
        List<Trait> traits = new ArrayList<>();
        sums.forEach((trait, sum) -> {
            double value = Math.round(sum[0] / sum[1] * 1000) / 1000.0;
            traits.add(new Trait(trait, Math.max(sum[2], Math.min(sum[3], value)), sum[4] == 1, sum[2], sum[3]));
        });
        List<List<ExampleTurn>> examples = new ArrayList<>();
        for (Source source : sources) {
            source.feedback().stream()
                    .filter(f -> f.rating().getAsDouble() >= EXAMPLE_RATING)
                    .sorted(Comparator.comparingDouble(
                                    (Feedback f) -> f.rating().getAsDouble())
                            .reversed())
                    .map(f -> exchanges.of(f.message()))
                    .flatMap(Optional::stream)
                    .distinct()
                    .limit(EXAMPLES_PER_SOURCE)
                    .forEach(e -> examples.add(List.of(
                            new ExampleTurn("user", e.userText()), new ExampleTurn("assistant", e.replyText()))));
        }
        Personality first = sources.stream()
                .max(Comparator.comparingDouble(Source::weight))
                .orElseThrow()
                .version()
                .personality();
        String names =
                String.join(" and ", parts.stream().map(Personality::name).toList());
        Map<String, Object> extensions = Map.of(
                "nexus/blend",
                Map.of(
                        "sources",
                        sources.stream()
                                .map(s -> s.version().id().value() + "@"
                                        + s.version().version())
                                .toList(),
                        "weights",
                        sources.stream()
                                .map(s -> Math.round(s.weight() / total * 1000) / 1000.0)
                                .toList()));
        return new Personality(
                id,
                name,
                "A blend of " + names + ", proposed from their best-rated conversations.",
                "Blends " + names + ".",
                "",
                first.voice(),
                union(parts.stream().map(Personality::style).toList()),
                union(parts.stream().map(Personality::values).toList()),
                Traits.of(traits),
                "",
                "",
                first.greetings().isEmpty()
                        ? List.of()
                        : List.of(first.greetings().get(0)),
                examples,
                union(parts.stream().map(Personality::knowledge).toList()),
                List.of(),
                "Proposed by Nexus from rated interactions; review before approving.",
                List.of("blend"),
                "nexus",
                "1",
                Optional.empty(),
                Optional.empty(),
                extensions);
    }

    private static List<String> union(List<List<String>> lists) {
        Set<String> all = new LinkedHashSet<>();
        lists.forEach(all::addAll);
        return all.stream().limit(MAX_LIST).toList();
    }

    /** {@code POST /v1/personalities/blends} (admin): proposes a blend; 201 with the proposal. */
    public List<dev.nexus.host.http.Route> routes() {
        return List.of(dev.nexus.host.http.Route.post(
                "/v1/personalities/blends",
                dev.nexus.host.http.Access.ADMIN,
                exchange -> exchange.respond(
                        201,
                        dev.nexus.host.approval.ApprovalRoutes.view(propose(
                                exchange.json(BlendBody.class),
                                exchange.caller().keyId())))));
    }

    private PersonaCodec codec() {
        return personalities.codec();
    }
}
