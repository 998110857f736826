package dev.nexus.host.config;

import dev.nexus.host.NexusException;
import java.util.List;

/** The configuration has problems; every one is listed with its key and the fix. */
public final class ConfigException extends NexusException {

    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("configuration has " + problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Returns every problem, each naming the key. */
    public List<String> problems() {
        return problems;
    }

    @Override
    public String title() {
        return "Invalid configuration";
    }
}
