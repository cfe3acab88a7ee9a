package io.clvanalytics.server.store;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.StoreInfo;
import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.engine.users.LoginThrottle;
import io.clvanalytics.engine.users.Users;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * The server's one data-access place: every read or write of the store by the server goes through
 * this package (an ArchUnit rule keeps {@code java.sql}, {@code Engine.connect()} and
 * {@code Engine.inTransaction} out of every other server package). Methods answer immutable values;
 * each call uses its own connection, so any request thread may call any method.
 *
 * <p>To add a query: add a method here (or a class beside it for a larger feature) that runs a
 * prepared statement or, better, calls the engine service that already answers it
 * ({@code ClvService}, {@code RetentionService}, {@code ProductAnalytics}, {@code DataQuality},
 * {@code NamedQueries}), and returns a record.
 */
public final class Store {

    private final Engine engine;

    public Store(Engine engine) {
        this.engine = engine;
    }

    /** The engine, for services that take it (they open their own connections). */
    public Engine engine() {
        return engine;
    }

    /** The web server's users (sign-in, roles). */
    public Users users() {
        return new Users(engine);
    }

    /** API tokens of machine clients. */
    public ApiTokens apiTokens() {
        return new ApiTokens(engine);
    }

    /** Sign-in attempts and lockouts. */
    public LoginThrottle loginThrottle() {
        return new LoginThrottle(engine);
    }

    /** What {@code clv info} shows. */
    public StoreInfo info() {
        return StoreInfo.of(engine);
    }

    /** The schema version; throws {@link StoreException} when the store cannot be read. */
    public int schemaVersion() {
        return engine.schemaVersion();
    }

    /**
     * How fresh the data is, for the footer of every page.
     *
     * @param lastTransaction the date of the newest transaction, if any
     * @param lastModelRun    when the newest CLV model was fitted, if any
     */
    public record Freshness(Optional<LocalDate> lastTransaction, Optional<LocalDateTime> lastModelRun) {}

    /** The date of the newest transaction and the time of the newest model fit. */
    public Freshness freshness() {
        try (Connection c = engine.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT (SELECT max(date) FROM transactions), (SELECT max(fitted_at) FROM model_runs)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Freshness(Optional.ofNullable(rs.getObject(1, LocalDate.class)),
                    Optional.ofNullable(rs.getObject(2, LocalDateTime.class)));
        } catch (SQLException e) {
            throw new StoreException("cannot read the data freshness of " + engine.file() + ": " + e.getMessage(), e);
        }
    }
}
