package dev.nexus.host.conversation;

import dev.nexus.api.tool.ToolSpec;
import dev.nexus.host.llm.LanguageModel;
import dev.nexus.host.llm.ModelMessage;
import dev.nexus.host.llm.ModelReply;
import dev.nexus.host.llm.ModelRequest;
import dev.nexus.host.llm.TokenSink;
import dev.nexus.host.llm.TokenUsage;
import dev.nexus.host.llm.ToolCallRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the model for a turn's reply, offering the tool box's tools to a remote model: while the model
 * answers with tool calls, each call runs through the tool box, its result is appended after the
 * assistant's tool-call message, and the model is asked again. After {@code maxRounds} rounds of
 * calls the model is asked once more, without tools, for its final answer. The offline model is never
 * offered tools. If the model still asks for tools in that last call, the calls are ignored and its
 * text (possibly empty) is the answer. Stateless and thread-safe.
 *
 * <p>When streaming, every round streams into the sink: the final answer's tokens, and any text the
 * model wrote alongside its tool calls (models rarely write any). The stored reply is the final answer.
 */
final class ToolLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ToolLoop.class);

    /** Told to the model when it has used up its tool rounds. */
    static final String LIMIT_NOTE =
            "You have used all the tool calls allowed for this reply. Answer the user now with what "
                    + "you have, without calling tools.";

    /**
     * What the loop came to. Immutable.
     *
     * @param reply the final answer
     * @param uses every tool call made, in order
     * @param usage the tokens used by every model call of the turn together
     * @param limitReached whether the model wanted more tool rounds than allowed
     */
    record Result(ModelReply reply, List<ToolUse> uses, TokenUsage usage, boolean limitReached) {
        Result {
            uses = List.copyOf(uses);
        }
    }

    private final ToolBox tools;
    private final int maxRounds;

    ToolLoop(ToolBox tools, int maxRounds) {
        this.tools = tools;
        this.maxRounds = maxRounds;
    }

    /**
     * Runs the loop.
     *
     * @param model the model to ask
     * @param request the composed prompt (its own tools are replaced by the tool box's)
     * @param sink where streamed tokens go; empty to ask for whole replies
     * @param listener told about each tool call once it has run, before the model is asked again
     * @param user the user the personality acts for
     * @param personality the personality's id
     */
    Result run(
            LanguageModel model,
            ModelRequest request,
            Optional<TokenSink> sink,
            Consumer<ToolUse> listener,
            String user,
            String personality) {
        List<ToolSpec> offered = model.description().offline() || maxRounds == 0 ? List.of() : tools.specs();
        ModelRequest current = request.withTools(offered);
        ModelReply reply = ask(model, current, sink);
        int input = reply.usage().input();
        int output = reply.usage().output();
        List<ToolUse> uses = new ArrayList<>();
        boolean limitReached = false;
        for (int round = 1; !offered.isEmpty() && !reply.toolCalls().isEmpty(); round++) {
            if (round > maxRounds) {
                limitReached = true;
                LOG.info(
                        "the model asked for tool round {} of at most {}; asking for a final answer without tools",
                        round,
                        maxRounds);
                reply = ask(model, current.withTools(List.of()).plus(List.of(ModelMessage.system(LIMIT_NOTE))), sink);
                input += reply.usage().input();
                output += reply.usage().output();
                break;
            }
            List<ModelMessage> added = new ArrayList<>();
            added.add(ModelMessage.assistantToolCalls(reply.text(), reply.toolCalls()));
            for (ToolCallRequest call : reply.toolCalls()) {
                ToolUse use = use(round, call, user, personality);
                uses.add(use);
                listener.accept(use);
                added.add(ModelMessage.toolResult(
                        call.id(), call.name().isEmpty() ? "unknown" : call.name(), use.forModel()));
            }
            current = current.plus(added);
            reply = ask(model, current, sink);
            input += reply.usage().input();
            output += reply.usage().output();
        }
        return new Result(reply, uses, new TokenUsage(input, output), limitReached);
    }

    private ToolUse use(int round, ToolCallRequest call, String user, String personality) {
        ToolBox.Outcome outcome;
        try {
            outcome = tools.run(call.id(), call.name(), call.arguments(), user, personality);
        } catch (RuntimeException e) {
            // The port promises not to throw; if it does anyway, the model hears of it and the turn goes on.
            LOG.warn("tool call {} to '{}' threw instead of reporting an outcome", call.id(), call.name(), e);
            outcome = new ToolBox.Outcome(ToolBox.Kind.FAILED, "ERROR: the tool failed unexpectedly", Optional.empty());
        }
        return new ToolUse(
                round,
                call.id(),
                call.name(),
                call.arguments(),
                outcome.kind(),
                outcome.proposal(),
                outcome.forModel());
    }

    private static ModelReply ask(LanguageModel model, ModelRequest request, Optional<TokenSink> sink) {
        return sink.isPresent() ? model.stream(request, sink.get()) : model.chat(request);
    }
}
