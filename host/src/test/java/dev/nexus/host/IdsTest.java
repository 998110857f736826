package dev.nexus.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void newId_inOneMillisecond_sortsByCreationAndNeverTies() {
        Clock frozen = Clock.fixed(Instant.parse("2031-05-01T10:00:00.123Z"), ZoneOffset.UTC);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            made.add(Ids.newId(frozen));
        }
        List<String> sorted = new ArrayList<>(made);
        Collections.sort(sorted);
        assertThat(sorted).isEqualTo(made);
        assertThat(new HashSet<>(made)).hasSize(made.size());
        // 100 000 ids cannot fit one millisecond's sequence: later ones borrow the following milliseconds.
        assertThat(made.getFirst()).startsWith(String.format("%012x-", frozen.millis()));
        assertThat(made.getLast().substring(0, 12))
                .isGreaterThan(made.getFirst().substring(0, 12));
    }

    @Test
    void newId_fromAClockFarInThePast_keepsItsOwnTime() {
        Ids.newId();
        Clock past = Clock.fixed(Instant.parse("2001-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertThat(Ids.newId(past))
                .startsWith(String.format("%012x-", past.millis()))
                .hasSize(29);
    }

    @Test
    void newId_fromManyThreadsAtOnce_isUniqueAndOrderedPerThread() throws Exception {
        ConcurrentLinkedQueue<List<String>> perThread = new ConcurrentLinkedQueue<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            IntStream.range(0, 8)
                    .forEach(t -> pool.submit(() -> {
                        List<String> mine = new ArrayList<>();
                        for (int i = 0; i < 5_000; i++) {
                            mine.add(Ids.newId());
                        }
                        perThread.add(mine);
                    }));
        }
        Set<String> all = new HashSet<>();
        for (List<String> mine : perThread) {
            assertThat(mine).isSorted();
            all.addAll(mine);
        }
        assertThat(all).hasSize(8 * 5_000);
    }
}
