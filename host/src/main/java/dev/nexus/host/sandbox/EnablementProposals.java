package dev.nexus.host.sandbox;

import dev.nexus.host.approval.NewProposal;
import dev.nexus.host.approval.Proposal;
import dev.nexus.host.approval.ProposalKind;
import dev.nexus.host.approval.ProposalService;
import dev.nexus.host.approval.ProposalState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Enabling a sandboxed plugin is a proposal: this files a {@code plugin-enablement} proposal for each
 * admitted plugin waiting for approval (proposer {@code system:sandbox}; the payload carries the jar's
 * hash and every external symbol it uses, so the reviewer approves exactly what was scanned), and
 * installs the applier that enables the plugin once a human approves. Thread-safe.
 */
public final class EnablementProposals {

    /** The proposer of enablement proposals. */
    public static final String PROPOSER = "system:sandbox";

    private final FitnessSandbox sandbox;
    private final ProposalService proposals;

    public EnablementProposals(FitnessSandbox sandbox, ProposalService proposals) {
        this.sandbox = sandbox;
        this.proposals = proposals;
    }

    /**
     * Registers the {@code plugin-enablement} applier and proposes every admitted plugin still waiting
     * for approval that has no pending proposal. Call after {@link FitnessSandbox#refresh()}.
     *
     * @return the proposals filed now
     */
    public List<Proposal> install() {
        proposals.register(ProposalKind.PLUGIN_ENABLEMENT, proposal -> {
            String sha256 = String.valueOf(proposal.payload().get("sha256"));
            SandboxPlugin enabled = sandbox.enable(sha256);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("sha256", enabled.sha256());
            result.put("state", enabled.state().label());
            return result;
        });
        return proposeWaiting();
    }

    /** Proposes every plugin waiting for approval that has no pending proposal yet. */
    public synchronized List<Proposal> proposeWaiting() {
        Set<String> pending = proposals.list(Optional.of(ProposalState.PENDING)).stream()
                .filter(p -> p.kind() == ProposalKind.PLUGIN_ENABLEMENT)
                .map(p -> String.valueOf(p.payload().get("sha256")))
                .collect(Collectors.toSet());
        return sandbox.candidates().stream()
                .filter(plugin -> !pending.contains(plugin.sha256()))
                .map(this::propose)
                .toList();
    }

    /** Files a proposal to enable {@code plugin} (e.g. again, after it was disabled). */
    public Proposal propose(SandboxPlugin plugin) {
        AdmissionReport report = plugin.report();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("sha256", plugin.sha256());
        payload.put("fileName", plugin.fileName());
        payload.put("fitnessClass", plugin.fitnessClass());
        payload.put("version", plugin.version().orElse(""));
        payload.put("admission", report.verdict());
        payload.put("policyVersion", report.policyVersion());
        payload.put("isolation", sandbox.isolation().label());
        payload.put("externalSymbols", report.symbols().stream().map(ExternalSymbol::display).toList());
        return proposals.propose(new NewProposal(ProposalKind.PLUGIN_ENABLEMENT, subject(plugin), OptionalInt.empty(),
                payload), PROPOSER);
    }

    private static String subject(SandboxPlugin plugin) {
        String subject = "fitness:" + plugin.fileName();
        return subject.length() <= 200 ? subject : subject.substring(0, 200);
    }
}
