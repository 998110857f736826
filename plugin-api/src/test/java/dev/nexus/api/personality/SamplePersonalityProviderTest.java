package dev.nexus.api.personality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the personality contract against a small sample provider, and shows it catches broken ones. */
class SamplePersonalityProviderTest extends PersonalityProviderContract {

    @Override
    protected PersonalityProvider newProvider() {
        return () -> List.of(
                new PersonalityBundle(
                        "gardener", """
                        id: gardener  # the bundle id
                        name: The Gardener
                        description: A patient gardener who answers in plant metaphors.
                        traits:
                          warmth: 0.8
                        """, Map.of("prompt.md", "Speak slowly.".getBytes(StandardCharsets.UTF_8))),
                new PersonalityBundle("json-bot", "{\"id\": \"json-bot\", \"name\": \"Json Bot\"}", Map.of()));
    }

    @Test
    void documentId_readsQuotedAndCommentedIds() {
        assertThat(documentId("name: x\nid: \"quoted\"\n")).contains("quoted");
        assertThat(documentId("id: plain # note\n")).contains("plain");
        assertThat(documentId("  id: nested-only\n")).isEmpty();
    }

    @Test
    void contract_whenDocumentIdDiffers_fails() {
        PersonalityProviderContract contract =
                contractFor(() -> List.of(new PersonalityBundle("alpha", "id: beta\nname: Beta\n", Map.of())));

        assertThatThrownBy(contract::everyBundle_hasANonBlankDocumentWhoseIdMatches)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("alpha");
    }

    @Test
    void contract_whenAFileEscapesTheBundle_fails() {
        PersonalityProviderContract contract = contractFor(() -> List.of(
                new PersonalityBundle("alpha", "id: alpha\nname: Alpha\n", Map.of("../secrets.txt", new byte[] {1}))));

        assertThatThrownBy(contract::everyBundle_fileNamesAreRelativeAndSafe)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("..");
    }

    @Test
    void contract_whenTabsIndent_fails() {
        PersonalityProviderContract contract = contractFor(() ->
                List.of(new PersonalityBundle("alpha", "id: alpha\nname: Alpha\ntraits:\n\twarmth: 0.5\n", Map.of())));

        assertThatThrownBy(contract::everyBundle_documentHasNoTabIndentation).isInstanceOf(AssertionError.class);
    }

    private static PersonalityProviderContract contractFor(PersonalityProvider provider) {
        return new PersonalityProviderContract() {
            @Override
            protected PersonalityProvider newProvider() {
                return provider;
            }
        };
    }
}
