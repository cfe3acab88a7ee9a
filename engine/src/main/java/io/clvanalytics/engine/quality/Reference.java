package io.clvanalytics.engine.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reference lists the validity checks compare with, loaded from the JDK (ISO 4217 currencies,
 * ISO 3166 countries with their English names) into temporary tables of the connection.
 */
final class Reference {

    static final String CURRENCIES = "q_currencies";
    static final String COUNTRIES = "q_countries";

    /**
     * Common English names for countries that differ from the JDK's, as shop exports write them
     * (EIRE is Ireland in UK exports, RSA South Africa). Territories such as "Channel Islands" and
     * placeholders such as "Unspecified" stay unknown on purpose.
     */
    private static final Set<String> ALIASES = Set.of("EIRE", "UK", "GREAT BRITAIN", "ENGLAND", "SCOTLAND", "WALES",
            "NORTHERN IRELAND", "USA", "U.S.A.", "UNITED STATES OF AMERICA", "RSA", "UAE", "CZECHIA", "HOLLAND",
            "SOUTH KOREA", "RUSSIA", "VIETNAM", "TURKEY", "MACEDONIA");

    private Reference() {}

    /** Creates the reference tables on {@code c} unless they exist. */
    static void install(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + CURRENCIES + " (code VARCHAR PRIMARY KEY)");
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + COUNTRIES + " (name VARCHAR PRIMARY KEY)");
            st.execute("DELETE FROM " + CURRENCIES);
            st.execute("DELETE FROM " + COUNTRIES);
        }
        Set<String> currencies = new TreeSet<>();
        for (Currency cur : Currency.getAvailableCurrencies()) {
            currencies.add(cur.getCurrencyCode());
        }
        Set<String> countries = new TreeSet<>(ALIASES);
        for (String iso2 : Locale.getISOCountries()) {
            Locale l = new Locale("", iso2);
            countries.add(iso2);
            countries.add(l.getISO3Country());
            countries.add(l.getDisplayCountry(Locale.ENGLISH).toUpperCase(Locale.ROOT));
        }
        insert(c, CURRENCIES, currencies);
        insert(c, COUNTRIES, countries);
    }

    private static void insert(Connection c, String table, Set<String> values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?)")) {
            for (String v : values) {
                ps.setString(1, v);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
