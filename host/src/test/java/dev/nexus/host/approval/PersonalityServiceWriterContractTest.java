package dev.nexus.host.approval;

import dev.nexus.host.db.Database;
import dev.nexus.host.persona.CardImporter;
import dev.nexus.host.persona.Personality;
import dev.nexus.host.persona.PersonalityId;
import dev.nexus.host.persona.PersonalityLookup;
import dev.nexus.host.persona.PersonalityService;
import dev.nexus.host.persona.PersonalityVersion;
import dev.nexus.host.testing.TestDatabase;
import dev.nexus.host.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The real registry, on both databases, behind the same port the host hands approval. */
@ParameterizedClass
@MethodSource(TestDatabases.KINDS)
class PersonalityServiceWriterContractTest extends PersonalityWriterContract {

    @Parameter
    Database.Kind database;

    private TestDatabase db;
    private PersonalityService service;

    private PersonalityService service() {
        if (service == null) {
            try {
                db = TestDatabases.of(database);
                Path empty = Files.createTempDirectory("nexus-personas-");
                service = new PersonalityService(
                        db.database(), empty, Duration.ofHours(1), Clock.systemUTC(), CardImporter.none(), List::of);
                service.start();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected PersonalityWriter writer() {
        PersonalityService registry = service();
        return new PersonalityWriter() {
            @Override
            public PersonalityVersion applyTraits(
                    PersonalityId id, int baseVersion, Map<String, Double> values, String source) {
                return registry.applyTraits(id, baseVersion, values, source);
            }

            @Override
            public PersonalityVersion restore(PersonalityId id, int baseVersion, int targetVersion, String source) {
                return registry.restore(id, baseVersion, targetVersion, source);
            }
        };
    }

    @Override
    protected PersonalityLookup lookup() {
        return service();
    }

    @Override
    protected void add(Personality personality) {
        service().create(personality);
    }
}
