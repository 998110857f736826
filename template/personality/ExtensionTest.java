package @PACKAGE@;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.api.personality.PersonalityBundle;
import dev.nexus.api.personality.PersonalityProvider;
import dev.nexus.api.personality.PersonalityProviderContract;
import org.junit.jupiter.api.Test;

/** The published {@link PersonalityProviderContract} (plugin-api test-jar) plus this plugin's own content. */
class @CLASS@Test extends PersonalityProviderContract {

    @Override
    protected PersonalityProvider newProvider() {
        return new @CLASS@();
    }

    @Test
    void personalities_offerOneNamedAfterThePlugin() {
        assertThat(started().personalities()).extracting(PersonalityBundle::id).containsExactly("@ID@");
    }
}
