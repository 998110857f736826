package dev.nexus.host.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.AccessDeniedException;
import dev.nexus.host.InvalidInputException;
import dev.nexus.host.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApiKeysTest {

    private static final String DATABASES = "dev.nexus.host.testing.TestDatabases#all";

    @ParameterizedTest
    @MethodSource(DATABASES)
    void bootstrap_onFirstStart_generatesAnAdminKeyOnce(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());

        Optional<String> first = keys.bootstrap(Optional.empty());
        Optional<String> second = keys.bootstrap(Optional.empty());

        assertThat(first)
                .hasValueSatisfying(
                        secret -> assertThat(secret).startsWith("nxk_").hasSize(47));
        assertThat(second).isEmpty();
        assertThat(keys.authenticate(first.get()).scopes()).containsExactlyInAnyOrder(Scope.values());
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void bootstrap_withConfiguredKey_registersItAndGeneratesNone(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());

        assertThat(keys.bootstrap(Optional.of("configured-admin-key-123"))).isEmpty();
        assertThat(keys.bootstrap(Optional.of("configured-admin-key-123"))).isEmpty();

        assertThat(keys.authenticate("configured-admin-key-123").has(Scope.ADMIN))
                .isTrue();
        assertThat(keys.list()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void bootstrap_withConfiguredKey_byHostsStartingTogether_registersItOnceAndStartsThemAll(TestDatabase db)
            throws Exception {
        int hosts = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        try {
            List<Future<Optional<String>>> started = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());
                started.add(pool.submit(() -> {
                    go.await();
                    return keys.bootstrap(Optional.of("configured-admin-key-123"));
                }));
            }
            go.countDown();
            for (Future<Optional<String>> host : started) {
                assertThat(host.get(30, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());
        assertThat(keys.list()).hasSize(1);
        assertThat(keys.authenticate("configured-admin-key-123").has(Scope.ADMIN))
                .isTrue();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void bootstrap_withConfiguredKeyThatWasRevoked_startsWithoutRegisteringItAgain(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());
        keys.bootstrap(Optional.of("configured-admin-key-123"));
        keys.revoke(keys.list().get(0).id());

        assertThat(keys.bootstrap(Optional.of("configured-admin-key-123"))).isEmpty();

        assertThatThrownBy(() -> keys.authenticate("configured-admin-key-123"))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(keys.list()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void bootstrap_withShortConfiguredKey_isRefused(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());

        assertThatThrownBy(() -> keys.bootstrap(Optional.of("short")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least 16 characters");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void create_storesOnlyAHashAndAuthenticatesWithScopes(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());
        Caller admin = new Caller("admin", "admin", EnumSet.of(Scope.ADMIN));

        ApiKeys.Created created = keys.create("reviewer", Set.of(Scope.APPROVER), admin);

        String stored = db.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT secret_hash FROM api_keys")
                        .mapTo(String.class)
                        .one());
        assertThat(stored).isEqualTo(ApiKeys.hash(created.secret())).doesNotContain(created.secret());
        Caller caller = keys.authenticate(created.secret());
        assertThat(caller.has(Scope.APPROVER)).isTrue();
        assertThat(caller.has(Scope.ADMIN)).isFalse();
        assertThat(keys.list())
                .singleElement()
                .satisfies(key -> assertThat(key.createdBy()).hasValue("admin"));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void revoke_takesEffectImmediately(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());
        ApiKeys.Created created =
                keys.create("temp", Set.of(Scope.USER), java.util.Optional.of("temp-user"), Caller.anonymous());
        keys.authenticate(created.secret());

        keys.revoke(created.key().id());

        assertThatThrownBy(() -> keys.authenticate(created.secret()))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("unknown or revoked");
        assertThat(keys.list().get(0).revokedAt()).isPresent();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void revoke_ofARevokedOrUnknownKey_isNotFoundAndLeavesOtherKeysWorking(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());
        ApiKeys.Created gone = keys.create("gone", Set.of(Scope.USER), java.util.Optional.of("u1"), Caller.anonymous());
        ApiKeys.Created kept = keys.create("kept", Set.of(Scope.USER), java.util.Optional.of("u2"), Caller.anonymous());
        keys.authenticate(kept.secret());
        keys.revoke(gone.key().id());

        assertThatThrownBy(() -> keys.revoke(gone.key().id()))
                .isInstanceOf(dev.nexus.host.NotFoundException.class)
                .hasMessage("unknown active API key '" + gone.key().id() + "'");
        assertThatThrownBy(() -> keys.revoke("no-such-key"))
                .isInstanceOf(dev.nexus.host.NotFoundException.class)
                .hasMessage("unknown API key 'no-such-key'");
        assertThat(keys.authenticate(kept.secret()).keyId())
                .isEqualTo(kept.key().id());
        assertThat(keys.find(kept.key().id()).orElseThrow().revokedAt()).isEmpty();
    }
}
