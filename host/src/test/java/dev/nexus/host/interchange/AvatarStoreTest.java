package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvatarStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final PersonalityId ID = PersonalityId.of("mirela-voss");

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void find_whenNothingSaved_returnsEmpty(TestDatabase db) {
        assertThat(new AvatarStore(db.database(), CLOCK).find(ID)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.nexus.host.testing.TestDatabases#all")
    void save_thenFind_returnsTheSameBytesAndType_andSaveAgainReplaces(TestDatabase db) {
        {
            AvatarStore store = new AvatarStore(db.database(), CLOCK);
            byte[] first = Fixtures.png();
            store.save(ID, Avatar.of(first));
            assertThat(store.find(ID)).contains(new Avatar(first, "image/png"));

            byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 1, 2};
            store.save(ID, Avatar.of(jpeg));
            assertThat(store.find(ID)).contains(new Avatar(jpeg, "image/jpeg"));

            store.delete(ID);
            assertThat(store.find(ID)).isEmpty();
        }
    }
}
