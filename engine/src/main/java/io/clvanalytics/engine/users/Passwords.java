package io.clvanalytics.engine.users;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.clvanalytics.engine.DataValidationException;
import java.security.SecureRandom;

/**
 * Password rules and hashing: 12 to 256 characters, any characters (passphrases welcome), hashed
 * whole with argon2id at m = 19 MiB, t = 2, p = 1 (OWASP ASVS), so nothing is truncated.
 */
public final class Passwords {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 256;
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;

    private static final Argon2Function ARGON2 = Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, 1, 32, Argon2.ID, 19);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** Checked when a user does not exist, so an unknown name takes as long as a wrong password. */
    private static final String DUMMY_HASH = hash("dummy-password-for-timing");

    private Passwords() {}

    /** Throws {@link DataValidationException} naming the rule when {@code password} breaks one. */
    public static void requireValid(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new DataValidationException("password: must have at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new DataValidationException("password: must have at most " + MAX_LENGTH + " characters (it was "
                    + password.length() + "); nothing is cut off silently");
        }
        if (password.isBlank()) {
            throw new DataValidationException("password: must not be only spaces");
        }
    }

    /** The argon2id hash of {@code password} in PHC string form, with a fresh random salt. */
    static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    }

    /** True when {@code password} matches {@code phc}; a null {@code phc} still costs one hash. */
    static boolean matches(String password, String phc) {
        if (phc == null) {
            Password.check(password, DUMMY_HASH).with(ARGON2);
            return false;
        }
        return Password.check(password, phc).with(Argon2Function.getInstanceFromHash(phc));
    }

    /** A random password of 20 characters from an unambiguous alphabet (about 116 bits). */
    public static String generate() {
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
