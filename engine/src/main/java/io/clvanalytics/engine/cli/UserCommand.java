package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.users.Passwords;
import io.clvanalytics.engine.users.User;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.engine.users.Users;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clv user add|list|passwd|disable}: the web server's users, for operators. */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage the web server's users (stop the server first: it holds the store).",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Passwd.class, UserCommand.Disable.class})
final class UserCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where a new password comes from. */
    static final class PasswordSource {
        @Option(names = "--password-stdin",
                description = "Read the password from the first line of standard input (12 to 256 characters)."
                        + " Without it a random password is generated and printed once.")
        boolean stdin;

        /** The password and whether it was generated (then it must be printed). */
        Map.Entry<String, Boolean> obtain() {
            if (!stdin) {
                return Map.entry(Passwords.generate(), true);
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null) {
                    throw new DataValidationException("password: --password-stdin was given but standard input is empty");
                }
                return Map.entry(line, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user with a role.")
    static final class Add implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "Sign-in name (letters, digits, . _ @ -).") String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "manager, analyst or admin.") String role;
        @Mixin PasswordSource source;

        @Override
        public Integer call() {
            UserRole r = UserRole.parse("--role", role);
            var pw = source.obtain();
            StoreFiles.requireExisting(common.dbPath());
            try (Engine engine = common.openEngine()) {
                User u = new Users(engine).add(name, r, pw.getKey());
                printChange(common, spec, "added", u, pw);
            }
            return ClvCli.EXIT_OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users (never their passwords).")
    static final class ListUsers implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            StoreFiles.requireExisting(common.dbPath());
            try (Engine engine = common.openEngine()) {
                List<User> users = new Users(engine).list();
                StoreOperation.print(common, spec, users, List.of("name", "role", "status", "created", "password changed"),
                        users.stream().<List<?>>map(u -> List.of(u.name(), u.role().id(), u.disabled() ? "disabled" : "enabled",
                                u.createdAt(), u.passwordChangedAt())).toList());
            }
            return ClvCli.EXIT_OK;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set a new password for a user.")
    static final class Passwd implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Mixin PasswordSource source;

        @Override
        public Integer call() {
            var pw = source.obtain();
            StoreFiles.requireExisting(common.dbPath());
            try (Engine engine = common.openEngine()) {
                Users users = new Users(engine);
                users.setPassword(name, pw.getKey());
                printChange(common, spec, "password changed", users.find(name).orElseThrow(), pw);
            }
            return ClvCli.EXIT_OK;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable a user: no sign-in and no API token of theirs works any more.")
    static final class Disable implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            StoreFiles.requireExisting(common.dbPath());
            try (Engine engine = common.openEngine()) {
                Users users = new Users(engine);
                users.disable(name);
                printChange(common, spec, "disabled", users.find(name).orElseThrow(), null);
            }
            return ClvCli.EXIT_OK;
        }
    }

    private static void printChange(CommonOptions common, CommandSpec spec, String what, User u, Map.Entry<String, Boolean> pw) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("result", what);
        report.put("user", u);
        boolean show = pw != null && pw.getValue();
        if (show) {
            report.put("generated_password", pw.getKey());
        }
        List<List<?>> rows = new java.util.ArrayList<>(List.of(List.of("user", u.name()), List.of("role", u.role().id()),
                List.of("status", u.disabled() ? "disabled" : "enabled"), List.of("result", what)));
        if (show) {
            rows.add(List.of("generated password (shown once)", pw.getKey()));
        }
        StoreOperation.print(common, spec, report, rows);
    }
}
