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
            // Approving the proposal accepts the isolation level it states, and nothing weaker.
            Isolation accepted = Isolation.ofLabel(
                            String.valueOf(proposal.payload().get("isolation")))
                    .orElse(Isolation.OS_SANDBOX);
            SandboxPlugin enabled = sandbox.enable(sha256, accepted);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("sha256", enabled.sha256());
            result.put("state", enabled.state().label());
            return result;
        });
        // Admission runs in the background at start: propose what it admits as soon as it is done.
        sandbox.onRefreshed(this::proposeWaiting);
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
        payload.put("fileName", JarContents.cap(plugin.fileName(), 255));
        payload.put("fitnessClass", JarContents.cap(plugin.fitnessClass(), 500));
        payload.put("version", JarContents.cap(plugin.version().orElse(""), 100));
        payload.put("admission", report.verdict());
        payload.put("policyVersion", report.policyVersion());
        Isolation isolation = sandbox.isolation();
        payload.put("isolation", isolation.label());
        if (isolation != Isolation.OS_SANDBOX) {
            payload.put(
                    "weakerIsolation",
                    "this machine gives only '" + isolation.label() + "' isolation, not "
                            + "'os-sandbox' (bubblewrap: own user, mounts, processes and network, read-only files, resource "
                            + "limits); approving this proposal explicitly accepts the weaker level");
        }
        // Counts, not the list: a report may hold thousands of symbols; the full list is one request away.
        payload.put("externalSymbolCount", report.symbols().size());
        payload.put("symbolsByPackage", report.symbolCountsByPackage());
        payload.put("symbols", "/v1/sandbox/plugins/" + plugin.sha256() + "/symbols");
        return proposals.propose(
                new NewProposal(ProposalKind.PLUGIN_ENABLEMENT, subject(plugin), OptionalInt.empty(), payload),
                PROPOSER);
    }

    private static String subject(SandboxPlugin plugin) {
        return "fitness:" + JarContents.cap(plugin.fileName(), 180);
    }
}
