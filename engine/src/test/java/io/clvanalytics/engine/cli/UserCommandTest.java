package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.users.Users;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {

    @TempDir
    Path dir;

    @Test
    void addListPasswdAndDisableAUserFromTheCommandLine() {
        Path db = dir.resolve("u.duckdb");
        Engine.open(db).close();
        CliRun add = CliRun.of("user", "add", "carol", "--role", "analyst", "--db", db.toString(), "--json");
        assertEquals(0, add.exitCode(), add.err());
        Matcher m = Pattern.compile("\"generated_password\" : \"([A-Za-z0-9]{20})\"").matcher(add.out());
        assertTrue(m.find(), add.out());
        String generated = m.group(1);

        CliRun list = CliRun.of("user", "list", "--db", db.toString());
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("carol") && list.out().contains("analyst") && list.out().contains("enabled"), list.out());
        assertFalse(list.out().contains("argon2"));

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("a new passphrase of mine\n".getBytes(StandardCharsets.UTF_8)));
            CliRun passwd = CliRun.of("user", "passwd", "carol", "--password-stdin", "--db", db.toString());
            assertEquals(0, passwd.exitCode(), passwd.err());
            assertFalse(passwd.out().contains("a new passphrase"), "a typed password is never printed");
            System.setIn(new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)));
            CliRun weak = CliRun.of("user", "add", "dave", "--role", "manager", "--password-stdin", "--db", db.toString());
            assertEquals(2, weak.exitCode());
            assertTrue(weak.err().contains("password: must have at least 12 characters"), weak.err());
        } finally {
            System.setIn(stdin);
        }
        try (Engine engine = Engine.open(db)) {
            Users users = new Users(engine);
            assertTrue(users.verify("carol", generated).isEmpty());
            assertTrue(users.verify("carol", "a new passphrase of mine").isPresent());
        }
        assertEquals(0, CliRun.of("user", "disable", "carol", "--db", db.toString()).exitCode());
        assertTrue(CliRun.of("user", "list", "--db", db.toString(), "--json").out().contains("\"disabled\" : true"));
        CliRun badRole = CliRun.of("user", "add", "erin", "--role", "boss", "--db", db.toString());
        assertEquals(2, badRole.exitCode());
        assertTrue(badRole.err().contains("--role: 'boss' is not a role"), badRole.err());
        assertEquals(2, CliRun.of("user", "disable", "ghost", "--db", db.toString()).exitCode());
    }
}
