package dev.nexus.host.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSchemaTest {

    private static final String WEATHER = """
            {"type":"object","additionalProperties":false,"required":["city"],
             "properties":{"city":{"type":"string","minLength":1},
                           "days":{"type":"integer","minimum":1,"maximum":7}}}""";

    @Test
    void problems_whenValid_isEmpty() {
        assertThat(JsonSchema.compile(WEATHER, "weather").problems(Map.of("city", "Oslo", "days", 3)))
                .isEmpty();
    }

    @Test
    void problems_nameEachPathAndWhatIsWrong() {
        List<String> problems = JsonSchema.compile(WEATHER, "weather").problems(Map.of("days", 9, "extra", true));

        assertThat(problems).hasSize(3);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("$").contains("city"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("$.days").contains("7"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("$").contains("extra"));
    }

    @Test
    void problems_followOneOfConstAndLocalRefs() {
        String schema = """
                {"$defs":{"unit":{"enum":["c","f"]}},
                 "type":"object",
                 "properties":{"unit":{"$ref":"#/$defs/unit"},
                               "mode":{"oneOf":[{"const":"fast"},{"const":"exact"}]}}}""";
        JsonSchema compiled = JsonSchema.compile(schema, "units");

        assertThat(compiled.problems(Map.of("unit", "c", "mode", "fast"))).isEmpty();
        assertThat(compiled.problems(Map.of("unit", "k")))
                .singleElement()
                .asString()
                .startsWith("$.unit");
        assertThat(compiled.problems(Map.of("mode", "slow")))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith("$.mode"));
    }

    @Test
    void compile_whenNotASchema_namesTheOwnerAndTheKeyword() {
        assertThatThrownBy(() -> JsonSchema.compile("{\"type\":\"strnig\"}", "tool 'x' parameters"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("tool 'x' parameters is not a valid JSON Schema")
                .hasMessageContaining("type");
    }

    @Test
    void compile_whenNotJson_saysSo() {
        assertThatThrownBy(() -> JsonSchema.compile("{\"type\":", "tool 'x' parameters"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("tool 'x' parameters is not valid JSON");
    }

    @Test
    void problems_whenRefPointsOutsideTheSchema_reportsWithoutFetching() {
        JsonSchema remote = JsonSchema.compile("{\"$ref\":\"http://127.0.0.1:9/never.json\"}", "remote");

        assertThat(remote.problems(Map.of())).singleElement().asString().startsWith("$");
    }
}
