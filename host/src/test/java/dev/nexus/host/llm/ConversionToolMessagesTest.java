package dev.nexus.host.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversionToolMessagesTest {

    @Test
    void toChatRequest_carriesToolCallsAndTheirResults_evenWhenTheirTextIsEmpty() {
        ToolCallRequest call = new ToolCallRequest("call_7", "forecast", "{\"city\":\"Faro\"}");
        ModelRequest request = ModelRequest.of(
                "system",
                List.of(
                        ModelMessage.user("weather?"),
                        ModelMessage.assistantToolCalls("", List.of(call)),
                        ModelMessage.toolResult("call_7", "forecast", "")));

        List<ChatMessage> messages = Conversion.toChatRequest(request, 100).messages();

        assertThat(messages).hasSize(4);
        AiMessage asked = (AiMessage) messages.get(2);
        assertThat(asked.toolExecutionRequests()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("call_7");
            assertThat(r.name()).isEqualTo("forecast");
            assertThat(r.arguments()).isEqualTo("{\"city\":\"Faro\"}");
        });
        ToolExecutionResultMessage result = (ToolExecutionResultMessage) messages.get(3);
        assertThat(result.id()).isEqualTo("call_7");
        assertThat(result.toolName()).isEqualTo("forecast");
        assertThat(result.text()).isEqualTo(Conversion.EMPTY_RESULT);
    }

    @Test
    void toChatRequest_keepsTheTextAnAssistantWroteAlongsideItsCalls() {
        ModelRequest request = ModelRequest.of(
                "",
                List.of(
                        ModelMessage.user("hi"),
                        ModelMessage.assistantToolCalls(
                                "Let me look.", List.of(new ToolCallRequest("c", "clock", "{}")))));

        AiMessage asked =
                (AiMessage) Conversion.toChatRequest(request, 100).messages().get(1);

        assertThat(asked.text()).isEqualTo("Let me look.");
        assertThat(asked.hasToolExecutionRequests()).isTrue();
    }
}
