package @PACKAGE@;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.KnowledgePackProvider;
import dev.nexus.api.knowledge.KnowledgePackProviderContract;
import org.junit.jupiter.api.Test;

/** The published {@link KnowledgePackProviderContract} (plugin-api test-jar) plus this pack's own content. */
class @CLASS@Test extends KnowledgePackProviderContract {

    @Override
    protected KnowledgePackProvider newProvider() {
        return new @CLASS@();
    }

    @Test
    void packs_offerOnePackNamedAfterThePlugin() {
        assertThat(started().packs()).extracting(KnowledgePack::id).containsExactly("@ID@");
    }
}
