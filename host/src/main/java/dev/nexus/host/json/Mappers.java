package dev.nexus.host.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The host's one Jackson configuration, and the only place that builds a Jackson mapper. Every
 * mapper starts from {@link #base()}; where a caller needs a different strictness, the difference is
 * written here, next to why:
 *
 * <table>
 *   <caption>Profiles</caption>
 *   <tr><th>profile</th><th>used by</th><th>differs from the base</th></tr>
 *   <tr><td>{@link #STRICT}</td><td>{@link Json}: HTTP bodies, stored JSON, plugin bodies, YAML trees
 *       bound into records ({@code Json.convert}: personalities, knowledge packs, cards)</td>
 *       <td>no scalar coercion: {@code 42} is not text and {@code "42"} is not a number, because a
 *       client that sends the wrong type has a bug worth a 400</td></tr>
 *   <tr><td>{@link #CONFIG}</td><td>{@link ConfigBinding}: {@code config.Settings}</td>
 *       <td>kebab-case keys; text is coerced to numbers and booleans and scalars to text, because
 *       every environment override ({@code NEXUS_SERVER_PORT=8080}) arrives as text and an operator
 *       may quote a value in YAML. The tree comes from {@link YamlTree}, so its limits apply.</td></tr>
 *   <tr><td>{@link #yaml(int)}</td><td>{@link YamlTree}: every YAML document (personalities,
 *       knowledge packs from files and HTTP uploads, the configuration file)</td>
 *       <td>the YAML syntax, with SnakeYAML's limits: at most {@value YamlTree#MAX_ALIASES} aliases per
 *       collection, no recursive keys, nesting up to {@value Json#MAX_DEPTH}, a code-point cap per call;
 *       reads trees only (they are bound with {@link #STRICT} or {@link #CONFIG}); writes literal
 *       blocks and quotes number-like text</td></tr>
 * </table>
 *
 * <p>The base, for all: unknown fields refused, {@code null} for a primitive refused, numbers for enums
 * refused, fractions for integers refused, trailing tokens refused, duplicate keys refused (not "last one
 * wins"), nesting up to {@value Json#MAX_DEPTH}, strings up to 32 MiB, numbers up to 100 digits, NUL and
 * unpaired surrogates refused in text and keys ({@link StrictText}), ISO-8601 dates, {@code Optional} as
 * a value or absent.
 */
final class Mappers {

    /** HTTP bodies and everything bound into records except configuration. */
    static final ObjectMapper STRICT = strict();

    /** The host's configuration file and environment, bound into settings records. */
    static final ObjectMapper CONFIG =
            base().propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE).build();

    private Mappers() {}

    private static JsonMapper.Builder base() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Json.MAX_DEPTH)
                        .maxStringLength(32 * 1024 * 1024)
                        .maxNumberLength(100)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .addModule(StrictText.module())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                // Issue 11: a key sent twice is refused (not "last one wins"), and 1.5 is not an integer.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    private static ObjectMapper strict() {
        ObjectMapper mapper =
                base().disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build();
        // Wrong types are errors, not conversions: 42 is not a string and "42" is not a number.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** A YAML mapper whose documents may hold at most {@code maxChars} code points; see the table above. */
    static ObjectMapper yaml(int maxChars) {
        LoaderOptions loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(YamlTree.MAX_ALIASES);
        loader.setAllowRecursiveKeys(false);
        loader.setNestingDepthLimit(Json.MAX_DEPTH);
        loader.setCodePointLimit(maxChars);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(loader)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .stringQuotingChecker(new NumberLikeQuoting())
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return YAMLMapper.builder(factory)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /**
     * Also quotes text that any YAML reader could take for a number: hex, octal, binary, underscored
     * and signed forms ({@code 0x1F}, {@code 1_000}, {@code +5}, {@code .5}), which the default checker
     * leaves bare.
     */
    private static final class NumberLikeQuoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            if (super.needToQuoteValue(value)) {
                return true;
            }
            if (value.isEmpty()) {
                return false;
            }
            char first = value.charAt(0);
            return Character.isDigit(first) || (value.length() > 1 && "+-.".indexOf(first) >= 0);
        }
    }
}
