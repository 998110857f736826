package dev.nexus.host.memory;

import dev.nexus.host.Ids;
import dev.nexus.host.vector.Vectors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps memory from growing without bound, the way a person forgets the wording but keeps the gist:
 * <ol>
 *   <li>episodes older than {@code consolidate-after-days}, and the oldest beyond
 *       {@code max-episodes-per-user}, are summarised per conversation into one {@code summary} fact
 *       (source {@code inferred}): the configured language model's summary of the conversation when
 *       there is one ({@link ModelSummariser}), else (or when the model fails) the most important
 *       things the user said, quoted; it inherits
 *       the episodes' retrieval counts; facts stated in them are extracted by the rules (and
 *       de-duplicated); then the episodes are deleted, rows and index entries;</li>
 *   <li>beyond {@code max-facts-per-user}, the least valuable facts (importance × (1 + retrievals),
 *       oldest first) are deleted.</li>
 * </ol>
 * Thread-safe; runs on the memory scheduler.
 */
final class Consolidation {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Consolidation.class);

    private static final int BATCH = 500;
    private static final int SUMMARY_CHARS = 400;

    private final MemorySettings settings;
    private final FactRepository facts;
    private final EpisodeRepository episodes;
    private final MemoryIndex index;
    private final FactWriter writer;
    private final Clock clock;
    private final Optional<ModelSummariser> summariser;

    Consolidation(
            MemorySettings settings,
            FactRepository facts,
            EpisodeRepository episodes,
            MemoryIndex index,
            FactWriter writer,
            Clock clock,
            Optional<ModelSummariser> summariser) {
        this.summariser = summariser;
        this.settings = settings;
        this.facts = facts;
        this.episodes = episodes;
        this.index = index;
        this.writer = writer;
        this.clock = clock;
    }

    ConsolidationReport run() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(settings.consolidateAfterDays()));
        int users = 0;
        int folded = 0;
        int summaries = 0;
        for (String user : episodes.users()) {
            users++;
            List<Episode> old;
            while (!(old = episodes.before(user, cutoff, BATCH)).isEmpty()) {
                summaries += summarise(old);
                folded += old.size();
            }
            int excess = episodes.count(user) - settings.maxEpisodesPerUser();
            while (excess > 0) {
                List<Episode> oldest = episodes.oldest(user, Math.min(BATCH, excess));
                summaries += summarise(oldest);
                folded += oldest.size();
                excess -= oldest.size();
            }
        }
        int dropped = 0;
        for (String user : facts.users()) {
            int excess = facts.count(user) - settings.maxFactsPerUser();
            if (excess > 0) {
                List<String> ids = facts.leastValuable(user, excess);
                facts.deleteAll(ids);
                ids.forEach(index::remove);
                dropped += ids.size();
            }
        }
        return new ConsolidationReport(users, folded, summaries, dropped);
    }

    private int summarise(List<Episode> batch) {
        Map<String, List<Episode>> byConversation = new LinkedHashMap<>();
        batch.forEach(e -> byConversation
                .computeIfAbsent(e.conversation(), c -> new ArrayList<>())
                .add(e));
        int written = 0;
        for (List<Episode> conversation : byConversation.values()) {
            List<Episode> said =
                    conversation.stream().filter(e -> e.role().equals("user")).toList();
            for (Episode episode : said) {
                for (ExtractedFact fact : FactExtractor.rules().extract(episode.text(), "")) {
                    writer.write(episode.user(), "", fact, FactSource.CONVERSATION);
                }
            }
            Optional<Fact> summary = summary(said, conversation);
            if (summary.isPresent()) {
                Fact fact = summary.get();
                Optional<float[]> vector = writer.embed(fact.text());
                facts.insertAll(List.of(new FactRepository.Stored(
                        fact, vector.map(Vectors::toBytes), vector.isPresent() ? writer.model() : null)));
                index.put(fact.id(), Retrieval.meta(fact), fact.text(), vector);
                written++;
            }
        }
        List<String> ids = batch.stream().map(Episode::id).toList();
        episodes.deleteAll(ids);
        ids.forEach(index::remove);
        return written;
    }

    private Optional<Fact> summary(List<Episode> said, List<Episode> all) {
        if (summariser.isPresent() && !said.isEmpty()) {
            try {
                return summariser.get().summarise(all).map(text -> summaryFact(said, all, text, "model"));
            } catch (RuntimeException e) {
                LOG.warn(
                        "model summary of conversation {} failed ({}); quoting it instead",
                        all.get(0).conversation(),
                        e.toString());
            }
        }
        List<Episode> worth = said.stream()
                .filter(e -> e.importance() >= 0.3)
                .sorted(Comparator.comparingDouble(Episode::importance).reversed())
                .toList();
        if (worth.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(summaryFact(worth, all, quotes(worth, all), "quotes"));
    }

    private String quotes(List<Episode> worth, List<Episode> all) {
        Episode first = all.get(0);
        StringBuilder text = new StringBuilder("In a conversation on ")
                .append(LocalDate.ofInstant(first.at(), ZoneOffset.UTC))
                .append(", the user said: ");
        for (Episode e : worth) {
            String quote = e.text().strip();
            if (text.length() + quote.length() + 4 > SUMMARY_CHARS) {
                quote = quote.substring(0, Math.max(0, Math.min(quote.length(), SUMMARY_CHARS - text.length() - 5)));
            }
            if (quote.isEmpty()) {
                break;
            }
            text.append('"').append(quote).append("\" ");
        }
        return text.toString().strip();
    }

    /** A summary fact of a conversation; {@code how} ("model" or "quotes") is kept in its metadata. */
    private Fact summaryFact(List<Episode> said, List<Episode> all, String text, String how) {
        Episode first = all.get(0);
        String dated = how.equals("model")
                ? "In a conversation on " + LocalDate.ofInstant(first.at(), ZoneOffset.UTC) + ": " + text
                : text;
        double importance = Math.min(
                1,
                Math.max(
                        0.3,
                        said.stream().mapToDouble(Episode::importance).max().orElse(0.3)));
        int retrievals = all.stream().mapToInt(Episode::retrievalCount).sum();
        Instant last = all.get(all.size() - 1).at();
        return new Fact(
                Ids.newId(clock),
                first.user(),
                Optional.of(first.personality()),
                dated,
                FactCategory.SUMMARY,
                FactSource.INFERRED,
                0.6,
                importance,
                retrievals,
                last,
                last,
                Optional.empty(),
                first.at(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                Map.of("summarisedBy", how, "conversation", first.conversation()),
                Optional.empty(),
                Optional.empty());
    }
}
