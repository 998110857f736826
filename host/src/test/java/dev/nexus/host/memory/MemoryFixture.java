package dev.nexus.host.memory;

import dev.nexus.host.conversation.TurnRecall;
import dev.nexus.host.db.Database;
import dev.nexus.host.knowledge.KnowledgeService;
import dev.nexus.host.knowledge.KnowledgeSettings;
import dev.nexus.host.llm.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A started {@link MemoryService} with its knowledge service, clock and scheduler, for tests. */
final class MemoryFixture implements AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    final Path knowledgeDir;
    final KnowledgeService knowledge;
    final MemoryService memory;
    /** Memories and knowledge as a turn recalls them, with the budget split of the running host. */
    final TurnRecall recall;

    MemoryFixture(Database database, Embedder embedder, MemorySettings settings) {
        this(database, embedder, settings, Optional.empty());
    }

    MemoryFixture(Database database, Embedder embedder, MemorySettings settings, Optional<FactExtractor> model) {
        try {
            knowledgeDir = Files.createTempDirectory("nexus-knowledge-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        knowledge =
                new KnowledgeService(KnowledgeSettings.defaults(), knowledgeDir, List::of, database, embedder, clock);
        knowledge.reload();
        memory = new MemoryService(settings, database, embedder, model, clock, scheduler);
        recall = new TurnRecall(memory, knowledge, KnowledgeSettings.defaults().budgetShare());
        memory.start();
        memory.loaded().orTimeout(60, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        memory.close();
        scheduler.shutdownNow();
    }
}
