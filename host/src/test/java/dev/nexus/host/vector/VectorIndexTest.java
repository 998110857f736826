package dev.nexus.host.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VectorIndexTest {

    private static final int DIM = 48;

    private static VectorIndex index(int exactBelow) {
        return new VectorIndex(0, new IndexSettings(exactBelow, null, null, 7L), Runnable::run);
    }

    @Test
    void search_whenEmpty_returnsEmpty() {
        assertThat(index(100).search(new float[DIM], 10, id -> true)).isEmpty();
    }

    @Test
    void search_beforeClustering_returnsExactTopKBestFirst() {
        VectorIndex index = index(1_000_000);
        SyntheticVectors vectors = new SyntheticVectors(1, DIM, 20, 0.8);
        for (int i = 0; i < 2000; i++) {
            index.put("v" + i, vectors.next());
        }
        float[] query = vectors.next();

        List<Hit> hits = index.search(query, 10, id -> true);

        assertThat(index.clustered()).isFalse();
        assertThat(hits).containsExactlyElementsOf(index.exact(query, 10, id -> true));
        assertThat(hits).hasSize(10).isSortedAccordingTo((a, b) -> Float.compare(b.similarity(), a.similarity()));
    }

    @Test
    void search_afterClustering_findsAtLeast95PercentOfTheExactTop10() {
        VectorIndex index = index(5000);
        SyntheticVectors vectors = new SyntheticVectors(2, DIM, 50, 0.9);
        for (int i = 0; i < 20_000; i++) {
            index.put("v" + i, vectors.next());
        }
        assertThat(index.clustered()).isTrue();

        int found = 0;
        for (int q = 0; q < 100; q++) {
            float[] query = vectors.next();
            Set<String> exact = ids(index.exact(query, 10, id -> true));
            found += (int) index.search(query, 10, id -> true).stream()
                    .filter(h -> exact.contains(h.id()))
                    .count();
        }

        assertThat(found / 1000.0).isGreaterThanOrEqualTo(0.95);
        assertThat(index.averageScanned()).isLessThan(20_000 * 0.5);
    }

    @Test
    void remove_takesTheEntryOutOfEveryLaterSearch() {
        VectorIndex index = index(1000);
        SyntheticVectors vectors = new SyntheticVectors(3, DIM, 10, 0.5);
        float[] target = vectors.next();
        index.put("target", target);
        for (int i = 0; i < 3000; i++) {
            index.put("v" + i, vectors.next());
        }

        assertThat(index.search(target, 1, id -> true).get(0).id()).isEqualTo("target");
        assertThat(index.remove("target")).isTrue();
        assertThat(index.remove("target")).isFalse();

        assertThat(index.contains("target")).isFalse();
        assertThat(index.size()).isEqualTo(3000);
        assertThat(ids(index.exact(target, 3000, id -> true)))
                .doesNotContain("target")
                .hasSize(3000);
    }

    @Test
    void put_withAnExistingId_replacesTheVector() {
        VectorIndex index = index(100);
        index.put("a", SyntheticVectors.unit(new float[] {1, 0, 0}));
        index.put("a", SyntheticVectors.unit(new float[] {0, 1, 0}));

        assertThat(index.size()).isEqualTo(1);
        assertThat(index.search(new float[] {0, 1, 0}, 1, id -> true).get(0).similarity())
                .isEqualTo(1f);
    }

    @Test
    void put_withAnotherDimension_isRefusedWithBothSizes() {
        VectorIndex index = index(100);
        index.put("a", new float[] {1, 0, 0});

        assertThatThrownBy(() -> index.put("b", new float[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'b' has 2 dimensions, the index holds 3");
    }

    @Test
    void search_withASelectiveFilter_widensUntilItHasKResults() {
        VectorIndex index = index(2000);
        SyntheticVectors vectors = new SyntheticVectors(4, DIM, 40, 0.6);
        for (int i = 0; i < 8000; i++) {
            index.put((i % 100 == 0 ? "rare" : "common") + i, vectors.next());
        }

        List<Hit> hits = index.search(vectors.next(), 10, id -> id.startsWith("rare"));

        assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.id()).startsWith("rare"));
    }

    @Test
    void writesDuringBackgroundClustering_areAllKept() throws Exception {
        ExecutorService trainer = Executors.newSingleThreadExecutor();
        try {
            VectorIndex index = new VectorIndex(DIM, new IndexSettings(3000, null, null, 9L), trainer);
            SyntheticVectors vectors = new SyntheticVectors(5, DIM, 30, 0.7);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 6000; i++) {
                index.put("v" + i, vectors.next());
                expected.add("v" + i);
                if (i % 7 == 0) {
                    index.remove("v" + (i / 2));
                    expected.remove("v" + (i / 2));
                }
            }
            CountDownLatch drained = new CountDownLatch(1);
            trainer.execute(drained::countDown);
            assertThat(drained.await(60, TimeUnit.SECONDS)).isTrue();

            assertThat(index.clustered()).isTrue();
            assertThat(new HashSet<>(index.ids())).isEqualTo(expected);
            float[] probe = vectors.next();
            assertThat(ids(index.exact(probe, expected.size() + 10, id -> true)))
                    .isEqualTo(expected);
        } finally {
            trainer.shutdownNow();
        }
    }

    @Test
    void vectors_roundTripThroughBytes() {
        float[] v = {1.5f, -2.25f, 0f, Float.MIN_VALUE};

        assertThat(Vectors.fromBytes(Vectors.toBytes(v))).containsExactly(v);
        assertThatThrownBy(() -> Vectors.fromBytes(new byte[5]))
                .hasMessageContaining("multiple of 4 bytes long, got 5");
    }

    private static Set<String> ids(List<Hit> hits) {
        Set<String> ids = new HashSet<>();
        for (Hit hit : new ArrayList<>(hits)) {
            ids.add(hit.id());
        }
        return ids;
    }
}
