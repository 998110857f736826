package dev.nexus.host.sandbox;

import static dev.nexus.host.sandbox.SandboxFixtures.config;
import static dev.nexus.host.sandbox.SandboxFixtures.request;
import static dev.nexus.host.sandbox.SandboxFixtures.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.nexus.host.ConflictException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.sandbox.ScoreOutcome.Failed;
import dev.nexus.host.sandbox.ScoreOutcome.Kind;
import dev.nexus.host.sandbox.ScoreOutcome.Scored;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's life cycle with the real admission scan and real child JVMs. */
class FitnessSandboxTest {

    @TempDir
    Path dir;

    private FitnessSandbox sandbox;

    @AfterEach
    void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void refresh_whenGoodJarDropped_admitsItAsPendingApprovalAndKeepsACopyByHash() {
        sandbox = sandbox(config(dir));
        PluginSources.goodJar(dir);

        List<AdmissionReport> reports = sandbox.refresh();

        assertThat(reports)
                .singleElement()
                .satisfies(r -> assertThat(r.admitted()).isTrue());
        String sha = reports.getFirst().sha256();
        assertThat(sandbox.candidates()).extracting(SandboxPlugin::sha256).containsExactly(sha);
        assertThat(sandbox.enabled()).isEmpty();
        assertThat(sandbox.plugin(sha)).get().satisfies(p -> {
            assertThat(p.state()).isEqualTo(SandboxState.PENDING_APPROVAL);
            assertThat(p.fileName()).isEqualTo("good.jar");
            assertThat(p.fitnessClass()).isEqualTo("good.Good");
            assertThat(p.admittedAt()).isEqualTo(SandboxFixtures.CLOCK.instant());
        });
        assertThat(dir.resolve(".admitted").resolve(sha + ".jar")).exists();
    }

    @Test
    void score_whenPendingApproval_runsNothingAndSaysItIsNotEnabled() {
        sandbox = sandbox(config(dir));
        PluginSources.goodJar(dir);
        String sha = sandbox.refresh().getFirst().sha256();

        ScoreOutcome outcome = sandbox.score(sha, request("support", 2));

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.kind()).isEqualTo(Kind.NOT_ENABLED);
            assertThat(f.reason())
                    .isEqualTo("sandbox plugin «good.jar» (" + sha.substring(0, 12)
                            + ") is pending-approval, not enabled");
            assertThat(f.disabled()).isFalse();
        });
    }

    @Test
    void score_whenEnabled_returnsTheScoresComputedInTheChildJvm() {
        sandbox = sandbox(config(dir));
        PluginSources.goodJar(dir);
        String sha = sandbox.refresh().getFirst().sha256();

        SandboxPlugin enabled = sandbox.enable(sha);
        ScoreOutcome first = sandbox.score(sha, request("support", 4));
        ScoreOutcome second = sandbox.score(sha, request("support", 2));

        assertThat(enabled.state()).isEqualTo(SandboxState.ENABLED);
        assertThat(sandbox.enabled()).extracting(SandboxPlugin::sha256).containsExactly(sha);
        assertThat(first)
                .isInstanceOfSatisfying(
                        Scored.class, s -> assertThat(s.values()).containsExactly(0.75, 0.625, 0.5, 0.375));
        assertThat(second)
                .isInstanceOfSatisfying(
                        Scored.class, s -> assertThat(s.values()).containsExactly(0.75, 0.5));
        assertThat(sandbox.plugin(sha)).get().satisfies(p -> {
            assertThat(p.fitnessId()).contains("good");
            assertThat(p.label()).isEqualTo("good (" + sha.substring(0, 12) + ")");
        });
    }

    @Test
    void score_whenNoCandidates_passesThePluginsDecline() {
        sandbox = sandbox(config(dir));
        PluginSources.goodJar(dir);
        String sha = sandbox.refresh().getFirst().sha256();
        sandbox.enable(sha);

        ScoreOutcome outcome = sandbox.score(sha, request("support", 0));

        assertThat(outcome).isEqualTo(new ScoreOutcome.Declined("no candidates for support"));
    }

    @Test
    void enable_whenAlreadyEnabled_returnsItUnchanged() {
        sandbox = sandbox(config(dir));
        PluginSources.goodJar(dir);
        String sha = sandbox.refresh().getFirst().sha256();

        SandboxPlugin first = sandbox.enable(sha);
        SandboxPlugin again = sandbox.enable(sha);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void enable_whenHashUnknown_throwsNotFoundNamingIt() {
        sandbox = sandbox(config(dir));

        assertThatThrownBy(() -> sandbox.enable("abc123"))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("unknown sandbox plugin 'abc123'");
    }

    @Test
    void enable_whenJarWasRefused_throwsConflictWithTheReasons() {
        sandbox = sandbox(config(dir));
        PluginSources.attackJar(dir, "socket");

        AdmissionReport report = sandbox.refresh().getFirst();

        assertThat(report.admitted()).isFalse();
        assertThat(sandbox.refused()).containsExactly(report);
        assertThat(sandbox.plugins()).isEmpty();
        assertThat(dir.resolve(".admitted").resolve(report.sha256() + ".jar")).doesNotExist();
        assertThatThrownBy(() -> sandbox.enable(report.sha256()))
                .isInstanceOf(ConflictException.class)
                .hasMessageStartingWith("sandbox jar " + report.sha256() + " was refused at admission and cannot run: "
                        + "«attack-socket.jar» refused: ")
                .hasMessageContaining("java/net/Socket (network)");
    }

    @Test
    void refresh_whenTheSameBytesAreDroppedTwice_admitsOnePlugin() throws IOException {
        sandbox = sandbox(config(dir));
        Path jar = PluginSources.goodJar(dir);
        Files.copy(jar, dir.resolve("good-copy.jar"));

        List<AdmissionReport> reports = sandbox.refresh();

        assertThat(reports).hasSize(2);
        assertThat(sandbox.plugins())
                .singleElement()
                .satisfies(p -> assertThat(p.fileName()).isEqualTo("good-copy.jar"));
    }

    @Test
    void refresh_whenJarIsLargerThanTheLimit_refusesWithoutScanning() throws IOException {
        sandbox = sandbox(new SandboxConfig(dir.toString(), null, null, null, null, null, 1024L, null, null, null));
        Files.write(dir.resolve("big.jar"), new byte[4096]);

        AdmissionReport report = sandbox.refresh().getFirst();

        assertThat(report.problems()).containsExactly("the jar is larger than sandbox.max-jar-bytes (1024 bytes)");
        assertThat(report.sizeBytes()).isEqualTo(4096);
    }

    @Test
    void admit_whenJarIsOutsideTheSandboxDirectory_throwsInvalidInput(@TempDir Path elsewhere) {
        sandbox = sandbox(config(dir));
        Path jar = PluginSources.goodJar(elsewhere);

        assertThatThrownBy(() -> sandbox.admit(jar))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a jar file directly in the sandbox directory " + dir);
    }

    @Test
    void score_whenAdmittedCopyWasTamperedWith_refusesToLoadIt() throws IOException {
        sandbox = sandbox(config(dir));
        PluginSources.goodJar(dir);
        String sha = sandbox.refresh().getFirst().sha256();
        sandbox.enable(sha);
        Files.write(dir.resolve(".admitted").resolve(sha + ".jar"), new byte[] {1}, StandardOpenOption.APPEND);

        ScoreOutcome outcome = sandbox.score(sha, request("support", 2));

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.kind()).isEqualTo(Kind.ERROR);
            assertThat(f.reason()).contains("could not be loaded").contains("no longer has the admitted SHA-256");
        });
    }

    @Test
    void disable_stopsThePluginAndKeepsTheReason() {
        sandbox = sandbox(config(dir));
        PluginSources.goodJar(dir);
        String sha = sandbox.refresh().getFirst().sha256();
        sandbox.enable(sha);
        assertThat(sandbox.score(sha, request("support", 1))).isInstanceOf(Scored.class);

        SandboxPlugin disabled = sandbox.disable(sha, "operator turned it off");

        assertThat(disabled.state()).isEqualTo(SandboxState.DISABLED);
        assertThat(disabled.reason()).contains("operator turned it off");
        assertThat(sandbox.score(sha, request("support", 1)))
                .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.kind()).isEqualTo(Kind.NOT_ENABLED));
        assertThat(sandbox.enable(sha).state()).isEqualTo(SandboxState.ENABLED);
    }

    @Test
    void isolation_whenTurnedOff_isNone() {
        sandbox = sandbox(new SandboxConfig(dir.toString(), null, null, null, null, null, null, "off", null, null));

        assertThat(sandbox.isolation()).isEqualTo(Isolation.NONE);
        assertThat(sandbox.isolation().label()).isEqualTo("none");
    }

    @Test
    void childJvm_inItsOsSandbox_seesNoNetworkInterface() throws Exception {
        SandboxConfig config = config(dir);
        Path runtime = Files.createTempDirectory(dir, "runtime");
        ChildClassPath.write(runtime);
        Path jar = Files.writeString(dir.resolve("empty.jar"), "");
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                ChildLauncher.readableByAll(path);
            }
        }
        ChildLauncher launcher = new ChildLauncher(config, runtime, dir);
        if ("optional".equals(System.getProperty("nexus.test.netns"))) {
            assumeThat(launcher.isolation())
                    .as("skipped knowingly (nexus.test.netns=optional): this machine allows"
                            + " neither bwrap nor unshare --net")
                    .isNotEqualTo(Isolation.NONE);
        }
        assertThat(launcher.isolation())
                .as("this machine allows neither bwrap nor unshare --net (run the tests as root,"
                        + " or enable user namespaces), so the sandbox cannot cut the child off the network; pass"
                        + " -Dnexus.test.netns=optional to skip this test knowingly")
                .isNotEqualTo(Isolation.NONE);

        try (ChildJvm child =
                ChildJvm.start(launcher.command(jar).command(), dir, "64m", 4096, Duration.ofSeconds(20))) {
            assertThat(child.nonLoopbackInterfaces()).isZero();
        }
        assertThat(launcher.command(jar).command().getFirst())
                .endsWith(launcher.isolation() == Isolation.OS_SANDBOX ? "prlimit" : "unshare");
    }
}
