package dev.nexus.host.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.tool.RiskLevel;
import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.llm.FinishReason;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelDescription;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelReply;
import dev.nexus.host.llm.ModelRequest;
import dev.nexus.host.llm.TokenSink;
import dev.nexus.host.llm.TokenUsage;
import dev.nexus.host.llm.ToolCallRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolLoopTest {

    /** A model that answers from a script and records what it was asked. */
    static final class ScriptedModel implements LanguageModel {
        final ModelDescription description;
        final Deque<ModelReply> script = new ArrayDeque<>();
        final List<ModelRequest> asked = new ArrayList<>();

        ScriptedModel(boolean offline) {
            description = new ModelDescription(offline ? "offline" : "openai", "m", "", offline);
        }

        ScriptedModel then(String text, ToolCallRequest... calls) {
            script.add(new ModelReply(
                    text,
                    new TokenUsage(10, 2),
                    calls.length == 0 ? FinishReason.STOP : FinishReason.TOOL_CALLS,
                    description,
                    List.of(calls)));
            return this;
        }

        @Override
        public ModelReply chat(ModelRequest request) {
            asked.add(request);
            return script.remove();
        }

        @Override
        public ModelReply stream(ModelRequest request, TokenSink sink) {
            ModelReply reply = chat(request);
            sink.accept(reply.text());
            return reply;
        }

        @Override
        public ModelDescription description() {
            return description;
        }
    }

    /** A tool box with one tool that counts how often it was asked for its specs. */
    static final class CountingBox implements ToolBox {
        int specsAsked;
        RuntimeException failure;

        @Override
        public List<ToolSpec> specs() {
            specsAsked++;
            return List.of(new ToolSpec("clock", "tells the time", "{\"type\":\"object\"}", RiskLevel.LOW));
        }

        @Override
        public Outcome run(String callId, String name, String argumentsJson, String user, String personality) {
            if (failure != null) {
                throw failure;
            }
            return new Outcome(Kind.DONE, "12:00 for " + user, Optional.empty());
        }
    }

    static final ModelRequest PROMPT = ModelRequest.of("system", List.of(ModelMessage.user("what time is it?")));
    static final ToolCallRequest CALL = new ToolCallRequest("c1", "clock", "{}");

    @Test
    void run_withTheOfflineModel_offersNoTools() {
        CountingBox box = new CountingBox();
        ScriptedModel model = new ScriptedModel(true).then("hello", CALL);

        ToolLoop.Result result = new ToolLoop(box, 4).run(model, PROMPT, Optional.empty(), use -> {}, "ada", "zen");

        assertThat(box.specsAsked).isZero();
        assertThat(model.asked)
                .singleElement()
                .satisfies(request -> assertThat(request.tools()).isEmpty());
        assertThat(result.uses()).isEmpty();
        assertThat(result.reply().text()).isEqualTo("hello");
    }

    @Test
    void run_withZeroRounds_offersNoTools() {
        CountingBox box = new CountingBox();
        ScriptedModel model = new ScriptedModel(false).then("hi");

        new ToolLoop(box, 0).run(model, PROMPT, Optional.empty(), use -> {}, "ada", "zen");

        assertThat(model.asked.get(0).tools()).isEmpty();
    }

    @Test
    void run_sendsTheCallAndItsResultBack_andAddsUpTheTokens() {
        ScriptedModel model =
                new ScriptedModel(false).then("Let me look.", CALL).then("It is noon.");
        List<ToolUse> heard = new ArrayList<>();
        StringBuilder streamed = new StringBuilder();

        ToolLoop.Result result = new ToolLoop(new CountingBox(), 4)
                .run(
                        model,
                        PROMPT,
                        Optional.of(token -> streamed.append(token).length() > 0),
                        heard::add,
                        "ada",
                        "zen");

        assertThat(result.reply().text()).isEqualTo("It is noon.");
        assertThat(result.usage()).isEqualTo(new TokenUsage(20, 4));
        assertThat(heard).containsExactlyElementsOf(result.uses());
        assertThat(streamed.toString()).isEqualTo("Let me look.It is noon.");
        List<ModelMessage> second = model.asked.get(1).messages();
        assertThat(second.get(second.size() - 2))
                .isEqualTo(ModelMessage.assistantToolCalls("Let me look.", List.of(CALL)));
        assertThat(second.get(second.size() - 1)).isEqualTo(ModelMessage.toolResult("c1", "clock", "12:00 for ada"));
    }

    @Test
    void run_whenTheToolBoxThrows_theModelHearsOfAFailureAndTheTurnGoesOn() {
        CountingBox box = new CountingBox();
        box.failure = new IllegalStateException("secret detail");
        ScriptedModel model = new ScriptedModel(false).then("", CALL).then("Sorry.");

        ToolLoop.Result result = new ToolLoop(box, 4).run(model, PROMPT, Optional.empty(), use -> {}, "ada", "zen");

        assertThat(result.uses()).singleElement().satisfies(use -> {
            assertThat(use.outcome()).isEqualTo(ToolBox.Kind.FAILED);
            assertThat(use.forModel()).isEqualTo("ERROR: the tool failed unexpectedly");
        });
        assertThat(result.reply().text()).isEqualTo("Sorry.");
    }

    @Test
    void settings_refuseAToolRoundLimitOutOfRange() {
        assertThatThrownBy(() -> new ChatSettings(null, null, null, null, null, 17))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("chat.max-tool-rounds must be within [0, 16], got 17");
        assertThat(ChatSettings.defaults().maxToolRounds()).isEqualTo(4);
    }

    @Test
    void modelMessage_refusesToolCallsOutsideAnAssistantTurn() {
        assertThatThrownBy(() -> new ModelMessage(ModelMessage.Role.USER, "x", List.of(CALL), "", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("only an assistant message can carry tool calls, not a USER message");
        assertThatThrownBy(() -> ModelMessage.toolResult("c1", "", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a tool result message needs the tool's name");
    }
}
