package dev.nexus.api.personality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.testing.Concurrently;
import dev.nexus.api.testing.FakePluginContext;
import dev.nexus.api.testing.JsonText;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The tests every {@link PersonalityProvider} must pass. Extend it and return a fresh provider from
 * {@link #newProvider()}; override {@link #newContext()} when the provider reads configuration.
 *
 * <p>What it checks without the host's parser: bundles are returned (never null), ids unique, every
 * document non-blank with a top-level {@code id:} equal to the bundle id and a {@code name:}, no tab
 * indentation (YAML forbids it), neighbouring file names relative and safe, and the same bundles on
 * every call and from every thread. The host validates the full document when it loads the plugin;
 * first-party plugins also run the host's parser in their tests.
 */
public abstract class PersonalityProviderContract {

    private static final Pattern TOP_LEVEL_ID = Pattern.compile("(?m)^id:[ \\t]*(.*?)[ \\t]*(#.*)?$");
    private static final Pattern TOP_LEVEL_NAME = Pattern.compile("(?m)^name:[ \\t]*(\\S.*)$");
    private static final Pattern TAB_INDENT = Pattern.compile("(?m)^ *\\t");

    /** Returns a new provider. */
    protected abstract PersonalityProvider newProvider();

    /** Returns the context the provider is started with; override to supply configuration. */
    protected FakePluginContext newContext() {
        return FakePluginContext.of("contract");
    }

    /** Returns a new provider started with {@link #newContext()}, as the host starts it before first use. */
    protected final PersonalityProvider started() {
        PersonalityProvider provider = newProvider();
        provider.start(newContext());
        return provider;
    }

    @Test
    void personalities_areNeverNull() {
        assertThat(bundles()).isNotNull().doesNotContainNull();
    }

    @Test
    void personalities_haveUniqueIds() {
        assertThat(bundles().stream().map(PersonalityBundle::id).toList()).doesNotHaveDuplicates();
    }

    @Test
    void everyBundle_hasANonBlankDocumentWhoseIdMatches() {
        for (PersonalityBundle bundle : bundles()) {
            assertThat(bundle.persona()).as("document of %s", bundle.id()).isNotBlank();
            assertThat(documentId(bundle.persona()))
                    .as("top-level id in the document of bundle '%s'", bundle.id())
                    .contains(bundle.id());
        }
    }

    @Test
    void everyBundle_documentHasAName() {
        for (PersonalityBundle bundle : bundles()) {
            String document = bundle.persona();
            boolean named = isJson(document)
                    ? JsonText.parseObject(document).get("name") instanceof String name && !name.isBlank()
                    : TOP_LEVEL_NAME.matcher(document).find();
            assertThat(named)
                    .as("document of '%s' has a top-level name", bundle.id())
                    .isTrue();
        }
    }

    @Test
    void everyBundle_documentHasNoTabIndentation() {
        for (PersonalityBundle bundle : bundles()) {
            assertThat(TAB_INDENT.matcher(bundle.persona()).find())
                    .as("document of '%s' indents with a tab, which YAML forbids", bundle.id())
                    .isFalse();
        }
    }

    @Test
    void everyBundle_fileNamesAreRelativeAndSafe() {
        for (PersonalityBundle bundle : bundles()) {
            for (var file : bundle.files().entrySet()) {
                String name = file.getKey();
                assertThat(name)
                        .as("file name in %s", bundle.id())
                        .isNotBlank()
                        .doesNotStartWith("/")
                        .doesNotContain("\\")
                        .doesNotContain("\u0000")
                        .isNotEqualTo("persona.yaml");
                assertThat(List.of(name.split("/")))
                        .as("path segments of %s in %s", name, bundle.id())
                        .doesNotContain("..", ".", "");
                assertThat(file.getValue())
                        .as("content of %s in %s", name, bundle.id())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void personalities_areTheSameOnEveryCallAndFromEveryThread() {
        PersonalityProvider provider = started();
        List<String> expected = provider.personalities().stream()
                .map(PersonalityProviderContract::describe)
                .toList();

        List<List<String>> results = Concurrently.run(
                8,
                i -> provider.personalities().stream()
                        .map(PersonalityProviderContract::describe)
                        .toList());

        assertThat(results).allSatisfy(result -> assertThat(result).isEqualTo(expected));
        assertThat(started().personalities().stream()
                        .map(PersonalityProviderContract::describe)
                        .toList())
                .isEqualTo(expected);
    }

    /** The provider's bundles; never empty, or every per-bundle check would pass having checked nothing. */
    private List<PersonalityBundle> bundles() {
        List<PersonalityBundle> bundles = started().personalities();
        assertThat(bundles)
                .as("personalities() of the started provider under test: the contract checks each bundle, so"
                        + " it needs at least one (give newContext() what the provider needs)")
                .isNotEmpty();
        return bundles;
    }

    /** Returns the top-level {@code id} of a persona document, YAML or JSON. */
    static Optional<String> documentId(String document) {
        if (isJson(document)) {
            return JsonText.parseObject(document).get("id") instanceof String id ? Optional.of(id) : Optional.empty();
        }
        Matcher matcher = TOP_LEVEL_ID.matcher(document);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String value = matcher.group(1);
        if (value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        return Optional.of(value);
    }

    private static boolean isJson(String document) {
        return document.stripLeading().startsWith("{");
    }

    private static String describe(PersonalityBundle bundle) {
        StringBuilder out = new StringBuilder(bundle.id()).append('\n').append(bundle.persona());
        bundle.files()
                .forEach((name, bytes) ->
                        out.append('\n').append(name).append(':').append(java.util.Arrays.hashCode(bytes)));
        return out.toString();
    }
}
