package dev.nexus.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.evolution.FitnessResult;
import dev.nexus.host.DependencyException;
import dev.nexus.host.approval.ApprovalConfig;
import dev.nexus.host.approval.Proposal;
import dev.nexus.host.approval.ProposalKind;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.approval.ProposalState;
import dev.nexus.host.auth.Caller;
import dev.nexus.host.auth.Scope;
import dev.nexus.host.evolution.EvolutionEngine;
import dev.nexus.host.evolution.EvolutionOutcome;
import dev.nexus.host.evolution.EvolutionRequest;
import dev.nexus.host.evolution.WeightedFitness;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.Trait;
import dev.nexus.host.persona.Traits;
import dev.nexus.host.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sandbox with its neighbours: enabling goes through the approval queue; evolution scores with enabled plugins. */
class SandboxIntegrationTest {

    private static final Caller APPROVER = new Caller("key-approver", "alice", Set.of(Scope.APPROVER));

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void admittedJar_isProposedOnce_andApprovingTheProposalEnablesIt(TestDatabase db) {
        PluginSources.goodJar(dir);
        try (FitnessSandbox sandbox =
                new FitnessSandbox(SandboxFixtures.config(dir), dir, db.database(), SandboxFixtures.CLOCK)) {
            ProposalService proposals =
                    new ProposalService(db.database(), SandboxFixtures.CLOCK, ApprovalConfig.defaults());
            String sha = sandbox.refresh().getFirst().sha256();
            EnablementProposals enablement = new EnablementProposals(sandbox, proposals);

            List<Proposal> filed = enablement.install();
            List<Proposal> again = enablement.proposeWaiting();

            assertThat(again).isEmpty();
            Proposal proposal = filed.getFirst();
            assertThat(filed).hasSize(1);
            assertThat(proposal.kind()).isEqualTo(ProposalKind.PLUGIN_ENABLEMENT);
            assertThat(proposal.proposer()).isEqualTo("system:sandbox");
            assertThat(proposal.subject()).isEqualTo("fitness:good.jar");
            assertThat(proposal.payload()).containsEntry("sha256", sha).containsEntry("admission", "admitted");
            assertThat(proposal.payload())
                    .doesNotContainKey("externalSymbols")
                    .containsEntry("symbols", "/v1/sandbox/plugins/" + sha + "/symbols");
            assertThat(proposal.payload().get("symbolsByPackage").toString()).contains("java.util=");
            assertThat(sandbox.enabled()).isEmpty();

            Proposal applied = proposals.approve(proposal.id(), APPROVER, proposal.sha256(), "read the symbols");

            assertThat(applied.state()).isEqualTo(ProposalState.APPLIED);
            assertThat(applied.result()).containsEntry("state", "enabled").containsEntry("sha256", sha);
            assertThat(sandbox.enabled()).extracting(SandboxPlugin::sha256).containsExactly(sha);
            assertThat(proposals
                            .approve(proposal.id(), APPROVER, proposal.sha256(), "again")
                            .state())
                    .isEqualTo(ProposalState.APPLIED);
            assertThat(proposals.list(Optional.of(ProposalState.PENDING))).isEmpty();
        }
    }

    @Test
    void enabledPlugin_steersAnEvolutionRun_andTheRunEvidenceNamesItsHash() {
        PluginSources.goodJar(dir);
        try (FitnessSandbox sandbox = SandboxFixtures.sandbox(SandboxFixtures.config(dir))) {
            String sha = sandbox.refresh().getFirst().sha256();
            sandbox.enable(sha);
            List<WeightedFitness> external = sandbox.externalFitness();
            // "good" scores 1 - mean(candidate): it prefers every evolvable trait lower.
            Traits traits = Traits.of(List.of(Trait.of("verbosity", 0.7), Trait.of("formality", 0.5)));
            EvolutionRequest request = EvolutionRequest.of(PersonalityId.of("support"), traits, List.of(), 5)
                    .withExternal(
                            List.of(new WeightedFitness(external.getFirst().function(), 2.0)));

            EvolutionOutcome outcome = new EvolutionEngine().evolve(request);

            assertThat(external)
                    .singleElement()
                    .satisfies(w -> assertThat(w.weight()).isEqualTo(0.25));
            assertThat(outcome.proposed().get("verbosity")).isLessThan(0.7);
            assertThat(outcome.evidence().functions()).singleElement().satisfies(use -> {
                assertThat(use.sha256()).isEqualTo(sha);
                assertThat(use.id()).isEqualTo("good");
                assertThat(use.status()).isEqualTo("used");
            });
        }
    }

    @Test
    void externalFitness_whenThePluginFails_throwsNamingTheFailure() {
        PluginSources.chameleonJar(dir);
        try (FitnessSandbox sandbox = SandboxFixtures.lenientSandbox(SandboxFixtures.config(dir))) {
            sandbox.enable(sandbox.refresh().getFirst().sha256());
            var function = sandbox.externalFitness().getFirst().function();

            assertThat(function.score(SandboxFixtures.request("ok", 2))).isInstanceOf(FitnessResult.Scores.class);
            assertThatThrownBy(() -> function.score(SandboxFixtures.request("range", 2)))
                    .isInstanceOf(DependencyException.class)
                    .hasMessageStartingWith("sandbox invalid output: chameleon (")
                    .hasMessageEndingWith("returned invalid output: score 0 is 1.5, outside [0, 1]");
        }
    }
}
