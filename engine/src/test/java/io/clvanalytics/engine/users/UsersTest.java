package io.clvanalytics.engine.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {

    @TempDir
    Path dir;

    /** A clock tests move forward. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-10T09:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void passwordsAreStoredAsArgon2idWithAtLeast19MibAndTwoPasses() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("u.duckdb"))) {
            new Users(engine).add("ann", UserRole.ANALYST, "correct horse battery");
            String hash = engine.inTransaction(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT password_hash FROM users")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
            assertFalse(hash.contains("correct horse"));
        }
    }

    @Test
    void passwordsHave12To256CharactersAndAreNeverCutOff() {
        try (Engine engine = Engine.open(dir.resolve("u.duckdb"))) {
            Users users = new Users(engine);
            var tooShort = assertThrows(DataValidationException.class, () -> users.add("a", UserRole.MANAGER, "elevenchars"));
            assertTrue(tooShort.getMessage().contains("at least 12"), tooShort.getMessage());
            assertThrows(DataValidationException.class, () -> users.add("a", UserRole.MANAGER, "x".repeat(257)));
            String longest = "é".repeat(200) + "y".repeat(56);
            users.add("b", UserRole.MANAGER, longest);
            assertTrue(users.verify("b", longest).isPresent());
            // Differs only in the last character: a truncating hash (bcrypt's 72 bytes) would accept it.
            assertTrue(users.verify("b", longest.substring(0, 255) + "z").isEmpty());
            assertTrue(users.list().stream().noneMatch(u -> u.name().equals("a")), "a failed add changes nothing");
        }
    }

    @Test
    void verifyAcceptsOnlyTheRightPasswordOfAnEnabledUser() {
        try (Engine engine = Engine.open(dir.resolve("u.duckdb"))) {
            Users users = new Users(engine);
            users.add("bob", UserRole.MANAGER, "first password 1");
            assertEquals(UserRole.MANAGER, users.verify("bob", "first password 1").orElseThrow().role());
            assertTrue(users.verify("bob", "wrong password 1").isEmpty());
            assertTrue(users.verify("nobody", "first password 1").isEmpty());
            users.setPassword("bob", "second password 2");
            assertTrue(users.verify("bob", "first password 1").isEmpty());
            assertTrue(users.verify("bob", "second password 2").isPresent());
            users.disable("bob");
            assertTrue(users.verify("bob", "second password 2").isEmpty());
            var dup = assertThrows(DataValidationException.class, () -> users.add("bob", UserRole.ADMIN, "another password"));
            assertTrue(dup.getMessage().contains("already exists"));
            assertThrows(DataValidationException.class, () -> users.disable("ghost"));
        }
    }

    @Test
    void tokensWorkUntilRevokedExpiredOrTheirOwnerIsDisabledAndOnlyTheirHashIsStored() {
        MovableClock clock = new MovableClock();
        try (Engine engine = Engine.open(dir.resolve("u.duckdb"), clock)) {
            Users users = new Users(engine);
            users.add("svc", UserRole.ANALYST, "service password");
            ApiTokens tokens = new ApiTokens(engine);
            var forever = tokens.create("svc", "reporting", Optional.empty());
            var hour = tokens.create("svc", "script", Optional.of(clock.now.plus(Duration.ofHours(1))));
            assertTrue(forever.secret().matches("clv_\\d+_[A-Za-z0-9_-]{43}"), forever.secret());
            assertEquals("svc", tokens.authenticate(forever.secret()).orElseThrow().name());
            assertTrue(tokens.authenticate(hour.secret()).isPresent());
            String tampered = forever.secret().substring(0, forever.secret().length() - 1)
                    + (forever.secret().endsWith("A") ? "B" : "A");
            assertTrue(tokens.authenticate(tampered).isEmpty());
            assertTrue(tokens.authenticate("clv_" + hour.info().id() + forever.secret().substring(forever.secret().lastIndexOf('_'))).isEmpty(),
                    "another token's secret under this id");
            String stored = engine.inTransaction(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT string_agg(token_sha256, ',') FROM api_tokens")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertFalse(stored.contains(forever.secret().substring(10)));
            clock.now = clock.now.plus(Duration.ofMinutes(61));
            assertTrue(tokens.authenticate(hour.secret()).isEmpty(), "expired");
            assertTrue(tokens.authenticate(forever.secret()).isPresent());
            tokens.revoke(forever.info().id());
            assertTrue(tokens.authenticate(forever.secret()).isEmpty(), "revoked");
            var other = tokens.create("svc", "other", Optional.empty());
            users.disable("svc");
            assertTrue(tokens.authenticate(other.secret()).isEmpty(), "owner disabled");
            assertThrows(DataValidationException.class, () -> tokens.create("svc", "late", Optional.of(clock.now.minusSeconds(1))));
            assertEquals(3, tokens.list().size());
        }
    }

    @Test
    void aTokensLastUseIsStoredAndNeverMovesBack() {
        MovableClock clock = new MovableClock();
        try (Engine engine = Engine.open(dir.resolve("used.duckdb"), clock)) {
            new Users(engine).add("svc", UserRole.ANALYST, "service password");
            ApiTokens tokens = new ApiTokens(engine);
            var token = tokens.create("svc", "reporting", Optional.empty());
            assertTrue(tokens.list().get(0).lastUsedAt().isEmpty(), "never used yet");
            ApiTokens.TokenUser found = tokens.verify(token.secret()).orElseThrow();
            assertEquals(token.info().id(), found.tokenId());
            assertEquals("svc", found.user().name());
            java.time.Instant used = clock.now.plusSeconds(90);
            tokens.recordUse(found.tokenId(), used);
            tokens.recordUse(found.tokenId(), used.minusSeconds(60));
            assertEquals(java.time.LocalDateTime.ofInstant(used, java.time.ZoneOffset.UTC), tokens.list().get(0).lastUsedAt().orElseThrow());
        }
    }

    @Test
    void tenFailuresIn15MinutesLockTheAccountAndTheLockLiftsAsTheyAgeOut() {
        MovableClock clock = new MovableClock();
        try (Engine engine = Engine.open(dir.resolve("u.duckdb"), clock)) {
            LoginThrottle throttle = new LoginThrottle(engine);
            for (int i = 0; i < 9; i++) {
                throttle.record("ann", "10.0.0." + i, false);
                clock.now = clock.now.plusSeconds(30);
            }
            assertEquals(LoginThrottle.Lock.NONE, throttle.check("ann", "10.0.0.99"));
            throttle.record("ann", "10.0.0.9", false);
            assertEquals(LoginThrottle.Lock.ACCOUNT, throttle.check("ann", "10.0.0.99"));
            assertEquals(LoginThrottle.Lock.NONE, throttle.check("bob", "10.0.0.99"));
            clock.now = clock.now.plus(Duration.ofMinutes(15));
            assertEquals(LoginThrottle.Lock.NONE, throttle.check("ann", "10.0.0.99"), "the oldest failures left the window");
            throttle.record("ann", "10.0.0.1", true);
            throttle.record("ann", "10.0.0.1", false);
            assertEquals(LoginThrottle.Lock.NONE, throttle.check("ann", "10.0.0.1"));
        }
    }

    @Test
    void fiftyFailuresFromOneAddressLockThatAddressForEveryName() {
        MovableClock clock = new MovableClock();
        try (Engine engine = Engine.open(dir.resolve("u.duckdb"), clock)) {
            LoginThrottle throttle = new LoginThrottle(engine);
            for (int i = 0; i < LoginThrottle.ADDRESS_LIMIT; i++) {
                throttle.record("name" + i, "192.0.2.7", false);
            }
            assertEquals(LoginThrottle.Lock.ADDRESS, throttle.check("fresh", "192.0.2.7"));
            assertEquals(LoginThrottle.Lock.NONE, throttle.check("fresh", "192.0.2.8"));
        }
    }
}
