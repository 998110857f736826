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

    @ParameterizedTest
    @MethodSource(DATABASES)
    void bootstrap_withAConfiguredKeyOf16Characters_registersIt_andOf15RefusesIt(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());

        assertThatThrownBy(() -> keys.bootstrap(Optional.of("x".repeat(15))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least 16 characters");
        assertThat(keys.bootstrap(Optional.of("y".repeat(16)))).isEmpty();

        assertThat(keys.authenticate("y".repeat(16)).has(Scope.ADMIN)).isTrue();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void revokeAllOf_revokesEveryActiveKeyOfThatUserAtOnce_countsThem_andLeavesOthersWorking(TestDatabase db) {
        ApiKeys keys = new ApiKeys(db.database(), Clock.systemUTC());
        ApiKeys.Created phone = keys.create("phone", Set.of(Scope.USER), Optional.of("alice"), Caller.anonymous());
        ApiKeys.Created laptop = keys.create("laptop", Set.of(Scope.USER), Optional.of("alice"), Caller.anonymous());
        ApiKeys.Created old = keys.create("old", Set.of(Scope.USER), Optional.of("alice"), Caller.anonymous());
        ApiKeys.Created bobs = keys.create("bob", Set.of(Scope.USER), Optional.of("bob"), Caller.anonymous());
        keys.revoke(old.key().id());
        keys.authenticate(phone.secret());
        keys.authenticate(laptop.secret());
        List<String> told = new ArrayList<>();
        keys.onChange(() -> told.add("changed"));

        assertThat(keys.revokeAllOf("alice")).isEqualTo(2);

        assertThatThrownBy(() -> keys.authenticate(phone.secret())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> keys.authenticate(laptop.secret())).isInstanceOf(AccessDeniedException.class);
        assertThat(keys.authenticate(bobs.secret()).user()).hasValue("bob");
        assertThat(told).as("other hosts are told to drop their cached lookups").hasSize(1);
        assertThat(keys.revokeAllOf("alice")).isZero();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void revoke_onAHostThatTellsTheOthers_isRefusedThereAtOnce_withoutWaitingForTheirCache(TestDatabase db) {
        ApiKeys here = new ApiKeys(db.database(), Clock.systemUTC());
        ApiKeys otherHost = new ApiKeys(db.database(), Clock.systemUTC());
        here.onChange(otherHost::changedElsewhere); // what Host wires through the cluster's NOTIFY
        ApiKeys.Created created = here.create("temp", Set.of(Scope.USER), Optional.of("temp-user"), Caller.anonymous());
        otherHost.authenticate(created.secret()); // now in the other host's 5-second cache

        here.revoke(created.key().id());

        assertThatThrownBy(() -> otherHost.authenticate(created.secret()))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("unknown or revoked");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void authenticate_aKnownKey_isAnsweredFromTheCache_soAHostNotToldOfARevocationStillAcceptsItForAWhile(
            TestDatabase db) {
        // The documented trade-off (docs/operations.md): without the cluster's notice, another host drops
        // its cached lookup only when it expires (5 s of its clock; KeyRevocationAcrossHostsTest moves the clock past
        // that).
        ApiKeys here = new ApiKeys(db.database(), Clock.systemUTC());
        ApiKeys otherHost = new ApiKeys(db.database(), Clock.systemUTC());
        ApiKeys.Created created = here.create("temp", Set.of(Scope.USER), Optional.of("temp-user"), Caller.anonymous());
        otherHost.authenticate(created.secret());

        here.revoke(created.key().id());

        assertThat(otherHost.authenticate(created.secret()).keyId())
                .isEqualTo(created.key().id());
        otherHost.changedElsewhere();
        assertThatThrownBy(() -> otherHost.authenticate(created.secret())).isInstanceOf(AccessDeniedException.class);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void authenticate_recordsWhenTheKeyWasLastUsed_atMostOnceAMinute(TestDatabase db) {
        dev.nexus.host.approval.MutableClock clock =
                new dev.nexus.host.approval.MutableClock(java.time.Instant.parse("2025-05-01T10:00:00Z"));
        ApiKeys keys = new ApiKeys(db.database(), clock);
        ApiKeys.Created created = keys.create("temp", Set.of(Scope.USER), Optional.of("temp-user"), Caller.anonymous());
        java.time.Instant first = clock.instant();

        keys.authenticate(created.secret());
        clock.advance(java.time.Duration.ofSeconds(59));
        keys.authenticate(created.secret());
        assertThat(keys.find(created.key().id()).orElseThrow().lastUsedAt()).hasValue(first);

        clock.advance(java.time.Duration.ofSeconds(1));
        keys.authenticate(created.secret());
        assertThat(keys.find(created.key().id()).orElseThrow().lastUsedAt()).hasValue(clock.instant());
        assertThat(keys.authenticate(created.secret()).isAnonymous()).isFalse();
        assertThat(Caller.anonymous().isAnonymous()).isTrue();
    }
}
