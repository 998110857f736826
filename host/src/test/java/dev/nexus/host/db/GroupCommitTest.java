package dev.nexus.host.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Database#inGroupCommit}: writes of many threads at once are all committed and each caller gets
 * its own result; a work that fails fails only its caller, the others' writes are kept. On both databases.
 */
class GroupCommitTest {

    @ParameterizedTest
    @MethodSource(TestDatabases.KINDS)
    void worksOfManyThreadsAtOnce_areEachCommitted_andAFailureReachesOnlyItsCaller(Database.Kind kind)
            throws Exception {
        try (TestDatabase fresh = TestDatabases.of(kind)) {
            Database database = fresh.database();
            database.jdbi().useHandle(h -> h.execute("CREATE TABLE group_commit_probe (id INT PRIMARY KEY)"));
            int writers = 40;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < writers; i++) {
                    int id = i;
                    results.add(threads.submit(() -> {
                        start.await();
                        return database.inGroupCommit(() -> {
                            // every tenth writer inserts a row another writer inserts too
                            int row = id % 10 == 9 ? id - 1 : id;
                            database.jdbi()
                                    .useHandle(h -> h.createUpdate("INSERT INTO group_commit_probe (id) VALUES (:id)")
                                            .bind("id", row)
                                            .execute());
                            return id;
                        });
                    }));
                }
                start.countDown();
            }
            int failed = 0;
            for (int i = 0; i < writers; i++) {
                try {
                    assertThat(results.get(i).get()).isEqualTo(i);
                } catch (ExecutionException e) {
                    assertThat(Database.isUniqueViolation(e)).isTrue();
                    failed++;
                }
            }
            List<Integer> stored = database.jdbi()
                    .withHandle(h -> h.createQuery("SELECT id FROM group_commit_probe ORDER BY id")
                            .mapTo(Integer.class)
                            .list());
            // of each pair (8, 9), (18, 19)... one insert of the same row won and one failed alone
            assertThat(failed).isEqualTo(4);
            assertThat(stored).hasSize(writers - 4).doesNotHaveDuplicates();
            assertThat(stored).allMatch(id -> id % 10 != 9);
        }
    }
}
