package io.clvanalytics.server;

import io.clvanalytics.engine.users.Passwords;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.server.store.Store;
import java.io.PrintStream;

/**
 * No default password: on a store without users the server creates user {@value #NAME} (role
 * admin) with the password from {@code CLV_ADMIN_PASSWORD}, or a random one printed once to the
 * console (never to the log).
 */
final class FirstAdmin {

    static final String NAME = "admin";

    private FirstAdmin() {}

    /** Creates the first admin when the store has no user; says so on {@code console}. */
    static void ensure(Store store, String configuredPassword, PrintStream console) {
        if (store.users().count() > 0) {
            return;
        }
        boolean generated = configuredPassword == null;
        String password = generated ? Passwords.generate() : configuredPassword;
        store.users().add(NAME, UserRole.ADMIN, password);
        if (generated) {
            console.println("First start: created user '" + NAME + "' (admin) with the password " + password);
            console.println("It is shown only this once. Change it with: bin/clv user passwd " + NAME
                    + " --password-stdin (server stopped), or set CLV_ADMIN_PASSWORD before the first start.");
        } else {
            console.println("First start: created user '" + NAME + "' (admin) with the password from CLV_ADMIN_PASSWORD.");
        }
    }
}
