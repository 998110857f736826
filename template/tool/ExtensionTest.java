package @PACKAGE@;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.tool.Tool;
import dev.nexus.api.tool.ToolCall;
import dev.nexus.api.tool.ToolContract;
import dev.nexus.api.tool.ToolResult;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The published {@link ToolContract} (plugin-api test-jar) plus this tool's own behaviour. */
class @CLASS@Test extends ToolContract {

    @Override
    protected Tool newTool() {
        return new @CLASS@();
    }

    @Override
    protected FakePluginContext newContext() {
        return FakePluginContext.builder("@ID@").config("greeting", "Hello").build();
    }

    @Override
    protected Optional<Map<String, Object>> workingArguments() {
        return Optional.of(Map.of("name", "Ada"));
    }

    @Test
    void invoke_greetsTheNamedPersonWithTheConfiguredGreeting() {
        Tool tool = new @CLASS@();
        tool.start(FakePluginContext.builder("@ID@").config("greeting", "Howdy").build());

        ToolResult result = tool.invoke(new ToolCall("c-1", "@TOOL@", Map.of("name", "Ada"), "u-1", "p-1"));

        assertThat(result).isEqualTo(new ToolResult.Success("Howdy, Ada!", "text/plain"));
    }

    @Test
    void start_withABlankGreeting_failsNamingTheKey() {
        Tool tool = new @CLASS@();

        assertThatThrownBy(() -> tool.start(FakePluginContext.builder("@ID@").config("greeting", " ").build()))
                .hasMessageContaining("'greeting'");
    }
}
