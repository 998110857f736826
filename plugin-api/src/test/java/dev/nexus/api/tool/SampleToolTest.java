package dev.nexus.api.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs the tool contract against a small sample tool, and shows it catches broken ones. */
class SampleToolTest extends ToolContract {

    @Override
    protected Tool newTool() {
        return new WordCount();
    }

    @Override
    protected Optional<Map<String, Object>> workingArguments() {
        return Optional.of(Map.of("text", "one two three"));
    }

    @Test
    void wordCount_countsWords() {
        assertThat(invoke(Map.of("text", "  the quick  brown fox ")))
                .isEqualTo(new ToolResult.Success("4", "text/plain"));
    }

    @Test
    void contract_whenAToolThrowsOnMissingArguments_fails() {
        ToolContract contract = contractFor(new WordCount() {
            @Override
            public ToolResult invoke(ToolCall call) {
                return new ToolResult.Success(
                        String.valueOf(((String) call.arguments().get("text")).length()), "text/plain");
            }
        });

        assertThatThrownBy(contract::invoke_withoutArguments_returnsAFailureWhenAnyAreRequired)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("invoke must return failures as ToolResult values");
    }

    @Test
    void contract_whenRequiredNamesAnUndeclaredProperty_fails() {
        ToolContract contract = contractFor(new WordCount() {
            @Override
            public ToolSpec spec() {
                return new ToolSpec(
                        "word_count",
                        "Counts the words in a text, separated by white space.",
                        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"body\"]}",
                        RiskLevel.LOW);
            }
        });

        assertThatThrownBy(contract::spec_parametersAreAJsonObjectSchema)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("body");
    }

    private static ToolContract contractFor(Tool tool) {
        return new ToolContract() {
            @Override
            protected Tool newTool() {
                return tool;
            }

            @Override
            protected Optional<Map<String, Object>> workingArguments() {
                return Optional.of(Map.of("text", "one two"));
            }
        };
    }

    /** Counts words; stateless. */
    static class WordCount implements Tool {
        @Override
        public ToolSpec spec() {
            return new ToolSpec(
                    "word_count",
                    "Counts the words in a text, separated by white space.",
                    "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"maxLength\":100000}},"
                            + "\"required\":[\"text\"],\"additionalProperties\":false}",
                    RiskLevel.LOW);
        }

        @Override
        public ToolResult invoke(ToolCall call) {
            if (!(call.arguments().get("text") instanceof String text)) {
                return new ToolResult.Failure("argument 'text' must be a string", false);
            }
            if (text.length() > 100_000) {
                return new ToolResult.Failure("argument 'text' is longer than 100000 characters", false);
            }
            String stripped = text.strip();
            return new ToolResult.Success(
                    String.valueOf(stripped.isEmpty() ? 0 : stripped.split("\\s+").length), "text/plain");
        }
    }
}
