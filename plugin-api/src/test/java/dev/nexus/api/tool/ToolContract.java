package dev.nexus.api.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nexus.api.testing.Concurrently;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.testing.JsonText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The tests every {@link Tool} must pass. Extend it, return a fresh tool from {@link #newTool()},
 * give it configuration in {@link #newContext()} and, when a call can succeed in a test (for example
 * against a local server), return its arguments from {@link #workingArguments()}.
 *
 * <p>What it checks: the spec is valid and stable, its parameter schema is a JSON object schema whose
 * required names are declared properties; missing, mistyped, null, oversized and unknown arguments
 * come back as {@link ToolResult.Failure} values with a message, never as exceptions; results are
 * never null; concurrent calls are safe; working arguments succeed, also concurrently.
 */
public abstract class ToolContract {

    /** Returns a new tool. */
    protected abstract Tool newTool();

    /** Returns the context the tool is started with; override to supply configuration and secrets. */
    protected FakePluginContext newContext() {
        return FakePluginContext.of("contract");
    }

    /**
     * Returns arguments with which a call succeeds in this test's environment, or empty when no call
     * can succeed here. Abstract on purpose: leaving it out would let the success tests pass having
     * checked nothing; returning empty makes them report as <em>skipped</em>, with the reason.
     */
    protected abstract Optional<Map<String, Object>> workingArguments();

    private static final String NO_WORKING_ARGUMENTS = "workingArguments() returned empty: no call can succeed in this"
            + " test, so the success tests are skipped; return arguments that succeed (e.g. against a local server)";

    @Test
    void spec_isValidAndStable() {
        Tool tool = newTool();

        ToolSpec spec = tool.spec();

        assertThat(spec).isNotNull().isEqualTo(tool.spec()).isEqualTo(newTool().spec());
        assertThat(spec.description().length())
                .as("description length of %s", spec.name())
                .isGreaterThanOrEqualTo(20);
    }

    @Test
    void spec_parametersAreAJsonObjectSchema() {
        Map<String, Object> schema = schema();

        assertThat(schema.get("type")).as("schema type").isEqualTo("object");
        assertThat(schema.getOrDefault("properties", Map.of()))
                .as("schema properties")
                .isInstanceOf(Map.class);
        Object required = schema.getOrDefault("required", List.of());
        assertThat(required).as("schema required").isInstanceOf(List.class);
        assertThat(properties().keySet()).as("declared properties").containsAll(asStrings(required));
    }

    @Test
    void invoke_withoutArguments_returnsAFailureWhenAnyAreRequired() {
        ToolResult result = invoke(Map.of());

        if (!asStrings(schema().getOrDefault("required", List.of())).isEmpty()) {
            assertThat(result).isInstanceOf(ToolResult.Failure.class);
        }
        assertWellFormed(result);
    }

    @Test
    void invoke_withWrongTypes_returnsFailuresNotExceptions() {
        assumeTrue(!properties().isEmpty(), "the tool declares no parameters, so there is no argument to mistype");
        for (String name : properties().keySet()) {
            for (Object wrong : wrongValuesFor(propertyType(name))) {
                Map<String, Object> arguments = new HashMap<>(validBase());
                arguments.put(name, wrong);

                ToolResult result = invoke(arguments);

                assertThat(result)
                        .as("result for %s = %s", name, describe(wrong))
                        .isInstanceOf(ToolResult.Failure.class);
                assertWellFormed(result);
            }
        }
    }

    @Test
    void invoke_withHostileValues_returnsValuesNotExceptions() {
        String huge = "x".repeat(200_000);
        List<Object> hostile = new ArrayList<>();
        hostile.add(null);
        hostile.add(huge);
        hostile.add("\u0000\uFFFF\uD800");
        hostile.add("'; DROP TABLE tools; --");
        hostile.add(Map.of("nested", Map.of("deeper", List.of(1, 2, 3))));
        for (String name : properties().keySet()) {
            for (Object value : hostile) {
                Map<String, Object> arguments = new HashMap<>(validBase());
                arguments.put(name, value);
                assertWellFormed(invoke(arguments));
            }
        }
        Map<String, Object> unknown = new HashMap<>(validBase());
        unknown.put("not_a_declared_parameter", "surprise");
        assertWellFormed(invoke(unknown));
    }

    @Test
    void invoke_fromManyThreads_isSafe() {
        Tool tool = started();
        Map<String, Object> arguments = workingArguments().orElse(Map.of());

        List<ToolResult> results = Concurrently.run(8, i -> tool.invoke(call(tool, arguments, i)));

        assertThat(results).allSatisfy(ToolContract::assertWellFormed);
        if (workingArguments().isPresent()) {
            assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(ToolResult.Success.class));
        }
    }

    @Test
    void invoke_withWorkingArguments_succeeds() {
        Optional<Map<String, Object>> arguments = workingArguments();
        assumeTrue(arguments.isPresent(), NO_WORKING_ARGUMENTS);

        ToolResult result = invoke(arguments.get());

        assertThat(result).isInstanceOf(ToolResult.Success.class);
        assertWellFormed(result);
    }

    /** Returns a new tool started with {@link #newContext()}, as the host starts it before first use. */
    protected final Tool started() {
        Tool tool = newTool();
        tool.start(newContext());
        return tool;
    }

    /** Calls a new started tool with {@code arguments}; fails the test when it throws. */
    protected final ToolResult invoke(Map<String, Object> arguments) {
        Tool tool = started();
        AtomicReference<ToolResult> result = new AtomicReference<>();
        assertThatCode(() -> result.set(tool.invoke(call(tool, arguments, 0))))
                .as("invoke must return failures as ToolResult values")
                .doesNotThrowAnyException();
        return result.get();
    }

    private static ToolCall call(Tool tool, Map<String, Object> arguments, int index) {
        return new ToolCall("call-" + index, tool.spec().name(), arguments, "contract-user", "contract-persona");
    }

    private static void assertWellFormed(ToolResult result) {
        assertThat(result).as("tool result").isNotNull();
        switch (result) {
            case ToolResult.Success success -> {
                assertThat(success.content()).as("success content").isNotNull();
                assertThat(success.mediaType()).as("success media type").isNotBlank();
            }
            case ToolResult.Failure failure ->
                assertThat(failure.message()).as("failure message").isNotBlank();
        }
    }

    private Map<String, Object> validBase() {
        return workingArguments().orElse(Map.of());
    }

    private Map<String, Object> schema() {
        String text = newTool().spec().parametersSchema();
        try {
            return JsonText.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("parametersSchema is not valid JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties() {
        Object properties = schema().getOrDefault("properties", Map.of());
        return properties instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private String propertyType(String name) {
        return properties().get(name) instanceof Map<?, ?> property && property.get("type") instanceof String type
                ? type
                : "";
    }

    private static List<Object> wrongValuesFor(String type) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("unexpected", true);
        return switch (type) {
            case "string" -> List.of(42L, true, List.of("a"), object);
            case "integer", "number" -> List.of("forty-two", true, List.of(1L), object);
            case "boolean" -> List.of("yes", 1L, object);
            case "array" -> List.of("a", 1L, object);
            case "object" -> List.of("a", 1L, List.of());
            default -> List.of();
        };
    }

    private static List<String> asStrings(Object list) {
        return list instanceof List<?> items
                ? items.stream().map(String::valueOf).toList()
                : List.of();
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + String.valueOf(value);
    }
}
