package dev.nexus.host.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What docs/operations.md promises about revocation across hosts sharing one database: the other
 * host stops accepting a revoked key once its key cache entry expires (5 seconds). Apart from
 * {@link ApiKeysTest} because it waits for that expiry (the mutation run leaves it out).
 */
class KeyRevocationAcrossHostsTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";

    @ParameterizedTest
    @MethodSource(DATABASES)
    void revoke_onAnotherHostSharingTheDatabase_takesEffectThereWithinTheCacheBound(TestDatabase db)
            throws InterruptedException {
        ApiKeys here = new ApiKeys(db.database(), Clock.systemUTC());
        ApiKeys otherHost = new ApiKeys(db.database(), Clock.systemUTC());
        ApiKeys.Created created =
                here.create("temp", Set.of(Scope.USER), java.util.Optional.of("temp-user"), Caller.anonymous());
        otherHost.authenticate(created.secret());

        here.revoke(created.key().id());
        long revokedAt = System.nanoTime();
        // docs/operations.md promises 5 seconds (the key cache); the bound here is generous for a busy machine.
        boolean refused = false;
        while (!refused
                && System.nanoTime() - revokedAt
                        < java.time.Duration.ofSeconds(20).toNanos()) {
            try {
                otherHost.authenticate(created.secret());
                Thread.sleep(100);
            } catch (AccessDeniedException e) {
                refused = true;
            }
        }

        assertThat(refused)
                .as("the other host refuses the revoked key once its cache entry expires")
                .isTrue();
    }
}
