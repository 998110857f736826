package dev.nexus.api.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.nexus.api.testing.Concurrently;
import dev.nexus.api.testing.FakePluginContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/**
 * The tests every {@link KnowledgePackProvider} must pass. Extend it and return a fresh provider from
 * {@link #newProvider()}; override {@link #newContext()} when the provider reads configuration.
 *
 * <p>What it checks: packs are returned (never null), ids unique, the same packs on every call and
 * from every thread (no side effects), every pack named, versioned and able to activate (topics or
 * lore keys), no blank or duplicate facts or topics, lore entry ids unique per pack, enabled entries
 * with content, and regular-expression keys that compile.
 */
public abstract class KnowledgePackProviderContract {

    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");

    /** Returns a new provider. */
    protected abstract KnowledgePackProvider newProvider();

    /** Returns the context the provider is started with; override to supply configuration. */
    protected FakePluginContext newContext() {
        return FakePluginContext.of("contract");
    }

    /** Returns a new provider started with {@link #newContext()}, as the host starts it before first use. */
    protected final KnowledgePackProvider started() {
        KnowledgePackProvider provider = newProvider();
        provider.start(newContext());
        return provider;
    }

    @Test
    void packs_areNeverNull() {
        assertThat(packs()).isNotNull().doesNotContainNull();
    }

    @Test
    void packs_haveUniqueIds() {
        List<String> ids = packs().stream().map(KnowledgePack::id).toList();

        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void packs_areTheSameOnEveryCallAndInstance() {
        KnowledgePackProvider provider = started();

        List<KnowledgePack> first = provider.packs();

        assertThat(provider.packs()).isEqualTo(first);
        assertThat(started().packs()).isEqualTo(first);
    }

    @Test
    void packs_modifyingTheReturnedList_doesNotAffectTheNextCall() {
        KnowledgePackProvider provider = started();
        List<KnowledgePack> first = provider.packs();
        int size = first.size();

        try {
            first.clear();
        } catch (UnsupportedOperationException expected) {
            // an unmodifiable list is the best answer
        }

        assertThat(provider.packs()).hasSize(size);
    }

    @Test
    void packs_fromManyThreads_areIdentical() {
        KnowledgePackProvider provider = started();
        List<KnowledgePack> expected = provider.packs();

        List<List<KnowledgePack>> results = Concurrently.run(8, i -> provider.packs());

        assertThat(results).allSatisfy(packs -> assertThat(packs).isEqualTo(expected));
    }

    @Test
    void everyPack_isNamedVersionedAndCanActivate() {
        for (KnowledgePack pack : packs()) {
            assertThat(pack.name()).as("name of %s", pack.id()).isNotBlank();
            assertThat(pack.version()).as("version of %s", pack.id()).matches(VERSION);
            assertThat(pack.category()).as("category of %s", pack.id()).isNotBlank();
            boolean keyed = pack.entries().stream()
                    .anyMatch(entry -> entry.enabled() && !entry.keys().isEmpty());
            assertThat(!pack.topics().isEmpty() || keyed)
                    .as("pack %s has topics or keyed lore entries, so it can activate", pack.id())
                    .isTrue();
            assertThat(!pack.facts().isEmpty() || !pack.entries().isEmpty())
                    .as("pack %s has facts or lore entries", pack.id())
                    .isTrue();
        }
    }

    @Test
    void everyPack_hasNoBlankOrDuplicateTopicsOrFacts() {
        for (KnowledgePack pack : packs()) {
            assertThat(pack.topics())
                    .as("topics of %s", pack.id())
                    .allSatisfy(topic -> assertThat(topic).isNotBlank());
            assertThat(pack.topics().stream()
                            .map(topic -> topic.strip().toLowerCase(Locale.ROOT))
                            .toList())
                    .as("topics of %s, compared case-insensitively", pack.id())
                    .doesNotHaveDuplicates();
            assertThat(pack.facts())
                    .as("facts of %s", pack.id())
                    .allSatisfy(fact -> assertThat(fact).isNotBlank());
            assertThat(pack.facts()).as("facts of %s", pack.id()).doesNotHaveDuplicates();
        }
    }

    @Test
    void everyLoreEntry_hasAUniqueIdContentAndWorkingKeys() {
        for (KnowledgePack pack : packs()) {
            Set<String> ids = new HashSet<>();
            for (LoreEntry entry : pack.entries()) {
                assertThat(entry.id()).as("lore entry id in %s", pack.id()).isNotBlank();
                assertThat(ids.add(entry.id()))
                        .as("lore entry id '%s' is unique in %s", entry.id(), pack.id())
                        .isTrue();
                if (entry.enabled()) {
                    assertThat(entry.content())
                            .as("content of %s/%s", pack.id(), entry.id())
                            .isNotBlank();
                }
                assertThat(entry.keys())
                        .as("keys of %s/%s", pack.id(), entry.id())
                        .allSatisfy(key -> assertThat(key).isNotBlank());
                if (entry.useRegex()) {
                    for (String key : entry.keys()) {
                        assertThatCode(() -> compile(key))
                                .as("regex key %s of %s/%s", key, pack.id(), entry.id())
                                .doesNotThrowAnyException();
                    }
                }
            }
        }
    }

    /** The provider's packs; never empty, or every per-pack check below would pass having checked nothing. */
    private List<KnowledgePack> packs() {
        List<KnowledgePack> packs = started().packs();
        assertThat(packs)
                .as("packs() of the started provider under test: the contract checks each pack, so it needs at"
                        + " least one (give newContext() what the provider needs to offer its packs)")
                .isNotEmpty();
        return packs;
    }

    private static void compile(String key) {
        String pattern = key;
        if (key.length() > 1 && key.startsWith("/") && key.lastIndexOf('/') > 0) {
            pattern = key.substring(1, key.lastIndexOf('/'));
        }
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new AssertionError("key '" + key + "' is not a valid regular expression: " + e.getDescription(), e);
        }
    }
}
