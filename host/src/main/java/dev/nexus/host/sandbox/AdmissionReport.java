package dev.nexus.host.sandbox;

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
            throw new IllegalArgumentException("verdict must be '" + expected + "' for these symbols and problems, got '"
                    + verdict + "'");
        }
    }

    /** Returns a report judged by the current allowlist, with the verdict that follows from it. */
    static AdmissionReport of(String fileName, String sha256, long sizeBytes, Optional<String> fitnessClass,
            Optional<String> version, List<String> classes, List<ExternalSymbol> symbols, List<String> problems) {
        return new AdmissionReport(fileName, sha256, sizeBytes, fitnessClass, version, classes, symbols, problems,
                Allowlist.VERSION, verdictFor(symbols, problems));
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

    /** Returns a one-line summary naming the first reasons to refuse, for logs and plugin listings. */
    public String summary() {
        if (admitted()) {
            return fileName + " admitted: " + symbols.size() + " external symbols, all allowed";
        }
        List<String> reasons = new ArrayList<>(problems);
        denied().forEach(s -> reasons.add(s.display() + " (" + s.reason() + ")"));
        String shown = String.join("; ", reasons.subList(0, Math.min(3, reasons.size())));
        return fileName + " refused: " + shown + (reasons.size() > 3 ? "; and " + (reasons.size() - 3) + " more" : "");
    }
}
