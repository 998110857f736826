package @PACKAGE@;

import dev.nexus.api.PluginContext;
import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolResult;
import dev.nexus.api.tool.ToolSpec;
import org.pf4j.Extension;

/**
 * The {@code @TOOL@} tool: greets someone by name. Replace {@link #spec} and {@link #invoke} with your
 * tool's own work.
 *
 * <p>Configuration, section {@code plugins.config.@ID@} of the host's nexus.yaml (checked by the host
 * against {@code META-INF/nexus/config-schema.json} before {@link #start}): {@code greeting}, default
 * {@code Hello}.
 */
@Extension
public final class @CLASS@ implements Tool {

    static final int MAX_NAME = 100;

    private volatile String greeting = "Hello";

    @Override
    public void start(PluginContext context) {
        // Read and check the configuration once, here: an exception marks the plugin failed with its message.
        greeting = context.config().string("greeting").map(String::strip).orElse("Hello");
        if (greeting.isEmpty()) {
            throw new IllegalArgumentException("@ID@ config 'greeting' must not be blank; set a word such as Hello");
        }
    }

    @Override
    public ToolSpec spec() {
        return new ToolSpec("@TOOL@", "Greets a person by name; use it when someone asks to be greeted.", """
                {"type": "object",
                 "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100,
                                         "description": "who to greet"}},
                 "required": ["name"],
                 "additionalProperties": false}""", RiskLevel.LOW);
    }

    @Override
    public ToolResult invoke(ToolCall call) {
        // The host checks the arguments against the schema first, but the tool must not trust that:
        // expected problems are returned as Failure values, never thrown.
        if (!(call.arguments().get("name") instanceof String name) || name.isBlank()) {
            return new ToolResult.Failure("argument 'name' must be a non-empty string", false);
        }
        if (name.length() > MAX_NAME) {
            return new ToolResult.Failure("argument 'name' must be at most " + MAX_NAME + " characters", false);
        }
        return new ToolResult.Success(greeting + ", " + name.strip() + "!", "text/plain");
    }
}
