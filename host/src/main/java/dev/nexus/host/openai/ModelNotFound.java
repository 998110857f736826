package dev.nexus.host.openai;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.NotFoundException;
import dev.nexus.host.http.OpenAiParam;

/** The requested model is no personality (HTTP 404, code {@code model_not_found}, as OpenAI answers). */
final class ModelNotFound extends NotFoundException implements OpenAiParam {

    private static final long serialVersionUID = 1L;

    ModelNotFound(String model) {
        super("the model '" + InvalidInputException.cap(model) + "' does not exist: models are personality ids; "
                + "GET /v1/models lists them");
    }

    @Override
    public String param() {
        return "model";
    }

    @Override
    public String code() {
        return "model_not_found";
    }
}
