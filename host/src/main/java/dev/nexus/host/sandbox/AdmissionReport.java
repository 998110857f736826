package dev.nexus.host.sandbox;

import dev.nexus.host.plugins.PluginText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the admission scan found in one sandboxed jar: its identity, every external symbol it uses with
 * a verdict, and the problems that refuse it outright. A jar is admitted only when there is no problem
 * and every symbol is allowed. Admission says the bytecode may run in the sandbox; enabling it is a
 * separate, approved step. Immutable.
 *
 * @param fileName the jar's file name in the sandbox directory
 * @param sha256 the lower-case hex SHA-256 of the jar's bytes: the plugin's identity
 * @param sizeBytes the jar's size
 * @param fitnessClass the class named by the manifest entry {@code Nexus-Fitness-Class}, if any
 * @param version the manifest's {@code Implementation-Version}, if any
 * @param classes the internal names of the classes in the jar
 * @param symbols every external symbol, sorted: denied first, then by owner and name
 * @param problems reasons to refuse that are not symbols (native methods, forged class names, ...)
 * @param policyVersion the {@link Allowlist#VERSION} that judged the jar
 * @param verdict {@code admitted} (no problem, every symbol allowed) or {@code refused}; must agree with
 *     the symbols and problems
 */
public record AdmissionReport(
        String fileName,
        String sha256,
        long sizeBytes,
        Optional<String> fitnessClass,
        Optional<String> version,
        List<String> classes,
        List<ExternalSymbol> symbols,
        List<String> problems,
        int policyVersion,
        String verdict) {

    /** Copies the lists and checks that the verdict follows from them. */
    public AdmissionReport {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(fitnessClass, "fitnessClass");
        Objects.requireNonNull(version, "version");
        classes = List.copyOf(classes);
        symbols = List.copyOf(symbols);
        problems = List.copyOf(problems);
        String expected = verdictFor(symbols, problems);
        if (!expected.equals(verdict)) {
            throw new IllegalArgumentException(
                    "verdict must be '" + expected + "' for these symbols and problems, got '" + verdict + "'");
        }
    }

    /** Returns a report judged by the current allowlist, with the verdict that follows from it. */
    static AdmissionReport of(
            String fileName,
            String sha256,
            long sizeBytes,
            Optional<String> fitnessClass,
            Optional<String> version,
            List<String> classes,
            List<ExternalSymbol> symbols,
            List<String> problems) {
        return new AdmissionReport(
                fileName,
                sha256,
                sizeBytes,
                fitnessClass,
                version,
                classes,
                symbols,
                problems,
                Allowlist.VERSION,
                verdictFor(symbols, problems));
    }

    /** Returns true when the jar may run in the sandbox: no problem and no denied symbol. */
    public boolean admitted() {
        return verdict.equals("admitted");
    }

    /** Returns the denied symbols. */
    public List<ExternalSymbol> denied() {
        return symbols.stream().filter(s -> !s.allowed()).toList();
    }

    private static String verdictFor(List<ExternalSymbol> symbols, List<String> problems) {
        return problems.isEmpty() && symbols.stream().allMatch(ExternalSymbol::allowed) ? "admitted" : "refused";
    }

    /**
     * Returns a one-line summary naming the first reasons to refuse, for logs and plugin listings: the file
     * name is quoted as plugin text and every name taken from the jar is escaped and capped.
     */
    public String summary() {
        String name = PluginText.quote(fileName, 100);
        if (admitted()) {
            return name + " admitted: " + symbols.size() + " external symbols, all allowed";
        }
        List<String> reasons = new ArrayList<>();
        // Problems are host sentences whose jar-named parts were escaped when they were written.
        problems.forEach(p -> reasons.add(PluginText.cut(p, 300)));
        denied().forEach(s -> reasons.add(JarContents.cap(s.display(), 300) + " (" + s.reason() + ")"));
        String shown = String.join("; ", reasons.subList(0, Math.min(3, reasons.size())));
        return name + " refused: " + shown + (reasons.size() > 3 ? "; and " + (reasons.size() - 3) + " more" : "");
    }

    /** The most problems and denied symbols a compacted refusal keeps. */
    static final int KEPT_PROBLEMS = 20;

    static final int KEPT_DENIED = 100;

    /**
     * Returns this report small enough to keep and list whatever the jar holds: a refused jar keeps its
     * first {@value #KEPT_PROBLEMS} problems and {@value #KEPT_DENIED} denied symbols (names capped), no
     * allowed symbols and no class list; a note says how much was left out. Admitted reports are returned
     * as they are (admission already capped their size).
     */
    AdmissionReport compacted() {
        if (admitted()) {
            return this;
        }
        List<String> kept = new ArrayList<>();
        problems.stream().limit(KEPT_PROBLEMS).forEach(p -> kept.add(PluginText.cut(p, 500)));
        List<ExternalSymbol> denied = denied();
        List<ExternalSymbol> keptDenied = denied.stream()
                .limit(KEPT_DENIED)
                .map(s -> new ExternalSymbol(
                        s.kind(),
                        PluginText.cut(s.owner(), 200),
                        PluginText.cut(s.name(), 200),
                        PluginText.cut(s.descriptor(), 300),
                        false,
                        PluginText.cut(s.reason(), 300)))
                .toList();
        int left = problems.size() - Math.min(problems.size(), KEPT_PROBLEMS) + denied.size() - keptDenied.size();
        if (left > 0) {
            kept.add("and " + left + " more problems or denied symbols, left out of this report");
        }
        return new AdmissionReport(
                PluginText.cut(fileName, 255),
                sha256,
                sizeBytes,
                fitnessClass.map(c -> PluginText.cut(c, 200)),
                version.map(v -> PluginText.cut(v, 60)),
                List.of(),
                keptDenied,
                kept,
                policyVersion,
                "refused");
    }

    /**
     * Counts the external symbols per package ({@code java.util}, {@code java.lang}, ...), for proposals
     * and listings that should not carry every symbol; at most 100 packages, the rest counted as "other".
     */
    public java.util.Map<String, Integer> symbolCountsByPackage() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (ExternalSymbol symbol : symbols) {
            String owner = symbol.owner().replaceFirst("^\\[+L?", "");
            int slash = owner.lastIndexOf('/');
            String pkg = slash < 0
                    ? "(default)"
                    : JarContents.cap(owner.substring(0, slash).replace('/', '.'), 100);
            if (counts.size() >= 100 && !counts.containsKey(pkg)) {
                pkg = "other";
            }
            counts.merge(pkg, 1, Integer::sum);
        }
        return counts;
    }
}
