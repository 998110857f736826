package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission can never hurt the host (issue 19): hostile jars, a scanner that throws or runs forever, and
 * a slow scan at start all end as refusals with reasons, remembered by hash, off the start path.
 */
class AdmissionSafetyTest {

    @TempDir
    Path dir;

    @Test
    void refresh_whenJarsAreBuiltToHurtTheScanner_refusesEachWithItsReason() {
        HostileJars.writeAll(dir);
        PluginSources.goodJar(dir);

        try (FitnessSandbox sandbox = SandboxFixtures.sandbox(SandboxFixtures.config(dir))) {
            List<AdmissionReport> reports = sandbox.refresh();

            assertThat(reports).hasSize(6);
            assertThat(reports)
                    .filteredOn(r -> r.fileName().equals("good.jar"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.admitted()).isTrue());
            HostileJars.REASONS.forEach((file, reason) -> assertThat(reports)
                    .filteredOn(r -> r.fileName().equals(file))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.admitted()).as(file).isFalse();
                        assertThat(r.summary()).as(file).contains(reason);
                        assertThat(r.symbols().size()).as(file).isLessThanOrEqualTo(AdmissionReport.KEPT_DENIED);
                    }));
            assertThat(sandbox.status())
                    .filteredOn(row -> row.state().equals("refused"))
                    .hasSize(5);
        }
    }

    @Test
    void refresh_whenTheScanRunsOverItsBudget_refusesAndStopsTheScan() {
        PluginSources.goodJar(dir);
        CountDownLatch stopped = new CountDownLatch(1);
        Admission forever = (fileName, jar) -> {
            try {
                while (true) {
                    BytecodeScanner.checkBudget();
                    Thread.onSpinWait();
                }
            } finally {
                stopped.countDown();
            }
        };
        SandboxConfig config = new SandboxConfig(
                dir.toString(), null, null, null, null, null, null, null, null, null, 300, null, null);

        try (FitnessSandbox sandbox =
                new FitnessSandbox(config, dir, SandboxFixtures.CLOCK, new InMemorySandboxStore(), forever)) {
            AdmissionReport report = sandbox.refresh().getFirst();

            assertThat(report.admitted()).isFalse();
            assertThat(report.problems())
                    .singleElement()
                    .asString()
                    .contains("the scan went over its time budget of 300 ms (sandbox.scan-timeout-millis)");
            assertThat(awaitQuietly(stopped)).as("the scanning thread stopped").isTrue();
        }
    }

    @Test
    void refresh_whenTheScannerThrows_refusesInsteadOfFailing() {
        PluginSources.goodJar(dir);
        Admission broken = (fileName, jar) -> {
            throw new IllegalStateException("scanner bug\nINFO forged line");
        };

        try (FitnessSandbox sandbox = new FitnessSandbox(
                SandboxFixtures.config(dir), dir, SandboxFixtures.CLOCK, new InMemorySandboxStore(), broken)) {
            AdmissionReport report = sandbox.refresh().getFirst();

            assertThat(report.admitted()).isFalse();
            assertThat(report.problems())
                    .containsExactly(
                            "the scan failed: java.lang.IllegalStateException: scanner bug\\nINFO forged line");
        }
    }

    @Test
    void refresh_whenAJarWasJudgedBefore_doesNotScanItAgain() {
        HostileJars.writeAll(dir);
        PluginSources.goodJar(dir);
        InMemorySandboxStore store = new InMemorySandboxStore();
        AtomicInteger scans = new AtomicInteger();
        BytecodeScanner scanner = new BytecodeScanner();
        Admission counting = (fileName, jar) -> {
            scans.incrementAndGet();
            return scanner.scan(fileName, jar);
        };

        try (FitnessSandbox first =
                new FitnessSandbox(SandboxFixtures.config(dir), dir, SandboxFixtures.CLOCK, store, counting)) {
            first.refresh();
        }
        int afterFirstStart = scans.get();
        try (FitnessSandbox second =
                new FitnessSandbox(SandboxFixtures.config(dir), dir, SandboxFixtures.CLOCK, store, counting)) {
            List<AdmissionReport> reports = second.refresh();

            assertThat(afterFirstStart).isEqualTo(6);
            assertThat(scans).hasValue(6);
            assertThat(reports).filteredOn(r -> !r.admitted()).hasSize(5);
            assertThat(second.refused()).hasSize(5);
        }
    }

    @Test
    void refreshInBackground_returnsAtOnceAndProposesWhenDone() throws Exception {
        PluginSources.goodJar(dir);
        CountDownLatch release = new CountDownLatch(1);
        BytecodeScanner scanner = new BytecodeScanner();
        Admission slow = (fileName, jar) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return scanner.scan(fileName, jar);
        };
        SandboxConfig config = new SandboxConfig(
                dir.toString(), null, null, null, null, null, null, null, null, null, 60_000, null, null);
        AtomicInteger listened = new AtomicInteger();

        try (FitnessSandbox sandbox =
                new FitnessSandbox(config, dir, SandboxFixtures.CLOCK, new InMemorySandboxStore(), slow)) {
            sandbox.onRefreshed(listened::incrementAndGet);
            CompletableFuture<List<AdmissionReport>> started = sandbox.refreshInBackground();

            assertThat(started).isNotDone();
            assertThat(sandbox.plugins()).isEmpty();
            release.countDown();
            List<AdmissionReport> reports = started.get(30, TimeUnit.SECONDS);
            assertThat(reports)
                    .singleElement()
                    .satisfies(r -> assertThat(r.admitted()).isTrue());
            assertThat(sandbox.candidates()).hasSize(1);
            assertThat(listened).hasValue(1);
        }
    }

    @Test
    void report_ofAnAdmittedJar_countsSymbolsPerPackage() {
        PluginSources.goodJar(dir);

        try (FitnessSandbox sandbox = SandboxFixtures.sandbox(SandboxFixtures.config(dir))) {
            AdmissionReport report = sandbox.refresh().getFirst();
            Map<String, Integer> counts = report.symbolCountsByPackage();

            assertThat(counts).containsKeys("java.lang", "java.util", "dev.nexus.api.evolution");
            assertThat(counts.values().stream().mapToInt(Integer::intValue).sum())
                    .isEqualTo(report.symbols().size());
            assertThat(sandbox.report(report.sha256())).isEqualTo(report);
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
