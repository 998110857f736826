package dev.nexus.host.openai;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.http.OpenAiParam;

/** A bad OpenAI-compatible request, naming the parameter at fault (HTTP 400). */
final class OpenAiInvalid extends InvalidInputException implements OpenAiParam {

    private static final long serialVersionUID = 1L;
    private final String param;
    private final String code;

    OpenAiInvalid(String param, String code, String message) {
        super(message);
        this.param = param;
        this.code = code;
    }

    @Override
    public String param() {
        return param;
    }

    @Override
    public String code() {
        return code;
    }
}
