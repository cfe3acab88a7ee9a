package io.clvanalytics.server.store;

import com.fasterxml.jackson.core.io.CharacterEscapes;
import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.DataVersion;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.StoreInfo;
import io.clvanalytics.engine.customers.CustomerFilter;
import io.clvanalytics.engine.customers.CustomerList;
import io.clvanalytics.engine.customers.CustomerListInMemory;
import io.clvanalytics.engine.customers.CustomerPage;
import io.clvanalytics.engine.customers.CustomerRow;
import io.clvanalytics.engine.customers.CustomerSort;
import io.clvanalytics.engine.jasper.NamedQueries;
import io.clvanalytics.engine.jasper.NamedQuery;
import io.clvanalytics.engine.jasper.QueryRowsJson;
import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.engine.users.LoginThrottle;
import io.clvanalytics.engine.users.User;
import io.clvanalytics.engine.users.Users;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public final class Store implements AutoCloseable {

    /** How many query results the cache keeps. */
    public static final long CACHE_ENTRIES = 10_000;

    /** How often at most the use of one API token is written to the store. */
    public static final Duration TOKEN_USE_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private final Engine engine;
    private final QueryCache cache;
    private final int customersInMemory;
    private final Object importLock = new Object();
    private final Object versionLock = new Object();
    /** The newest data-version read (running or done) and when it started ({@link System#nanoTime}). */
    private CompletableFuture<String> versionRead;
    private long versionReadStartedNanos;
    /** Writes of analytics data through this store that have returned (see {@link #dataVersion}). */
    private final AtomicLong writesFinished = new AtomicLong();
    /** Writes through this store under way: while one runs, the known fingerprint is not re-read for age. */
    private final AtomicLong writesRunning = new AtomicLong();
    /** The newest fingerprint read to the end, with the write count before it started; null before the first. */
    private volatile KnownVersion knownVersion;
    /** Reads that {@link #warm} repeats after each write, in registration order. */
    private final List<Runnable> warmers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Reads of one page run at once ({@link #productPage}): one thread per core, as cache loads are bounded the same way. */
    private final java.util.concurrent.ExecutorService pageReads = java.util.concurrent.Executors.newFixedThreadPool(
            QueryCache.CONCURRENT_LOADS, r -> {
                Thread t = new Thread(r, "clv-page-read");
                t.setDaemon(true);
                return t;
            });
    private final java.util.concurrent.ExecutorService warmThread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clv-cache-warm");
        t.setDaemon(true);
        return t;
    });
    /** When each API token's use was last written. */
    private final ConcurrentHashMap<Long, Instant> tokenUseRecorded = new ConcurrentHashMap<>();
    /** Bumped by every revocation and every change of an existing user made through this store. */
    private final AtomicLong credentialsGeneration = new AtomicLong();
    /** Tokens that passed, by SHA-256 (see {@link #authenticateToken}). */
    private final ConcurrentHashMap<String, CheckedToken> checkedTokens = new ConcurrentHashMap<>();

    public Store(Engine engine, QueryCache cache) {
        this(engine, cache, CUSTOMERS_IN_MEMORY);
    }

    /** A store that keeps customers in memory only up to {@code customersInMemory} customers (0: never). */
    public Store(Engine engine, QueryCache cache, int customersInMemory) {
        this.engine = engine;
        this.cache = cache;
        this.customersInMemory = customersInMemory;
    }

    /** How long a fingerprint read is trusted when no write went through this store since (see {@link #dataVersion}). */
    public static final Duration RECHECK_AFTER = Duration.ofSeconds(1);

    private record KnownVersion(String version, long writesFinishedBefore, long readStartedNanos) {}

    /**
     * The fingerprint of the data ({@link DataVersion}): changes with every committed import or run.
     *
     * <p>Fresh after every write through this store ({@link #runImport}, {@link #fitAndScore}, {@link #runQualityChecks}):
     * once one of them has returned, the answer reflects it. The server holds the store alone (DuckDB lets one process
     * write a file), and every write of analytics data in the server goes through these methods, so between them the
     * fingerprint is read again only every {@link #RECHECK_AFTER} (and not while one of them runs), which bounds how long
     * a write made some other way in this process goes unseen. A request that overlaps a write is answered from before
     * it (or after it).
     *
     * <p>When it is read, concurrent callers share the read instead of each running the fingerprint query (a dozen
     * table scans): requests that arrive while one read runs wait for the next one, which the first of them starts.
     */
    public String dataVersion() {
        String pinned = PINNED_VERSION.get();
        if (pinned != null) {
            return pinned;
        }
        KnownVersion known = knownVersion;
        if (known != null && known.writesFinishedBefore() == writesFinished.get()
                && (writesRunning.get() > 0 || System.nanoTime() - known.readStartedNanos() < RECHECK_AFTER.toNanos())) {
            return known.version();
        }
        long arrived = System.nanoTime();
        CompletableFuture<String> read;
        boolean mine = false;
        long startedNanos = 0;
        synchronized (versionLock) {
            if (versionRead != null && versionReadStartedNanos - arrived >= 0) {
                read = versionRead;
            } else {
                read = new CompletableFuture<>();
                versionRead = read;
                versionReadStartedNanos = System.nanoTime();
                startedNanos = versionReadStartedNanos;
                mine = true;
            }
        }
        if (mine) {
            long writesBefore = writesFinished.get();
            try {
                String version = DataVersion.of(engine);
                synchronized (versionLock) {
                    KnownVersion newest = knownVersion;
                    if (newest == null || startedNanos - newest.readStartedNanos() > 0) {
                        knownVersion = new KnownVersion(version, writesBefore, startedNanos);
                    }
                }
                read.complete(version);
            } catch (RuntimeException | Error e) {
                read.completeExceptionally(e);
            }
        }
        try {
            return read.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Runs {@code work}, a write of analytics data; before returning, loads the registered warm reads for the data as
     * it is now, then has the next {@link #dataVersion} read the store. Requests meanwhile keep the answers from before
     * the write (they overlap it), and requests after it find the new answers cached: none waits behind a cold cache.
     */
    private <T> T write(Supplier<T> work) {
        writesRunning.incrementAndGet();
        try {
            return work.get();
        } finally {
            try {
                String now = DataVersion.of(engine);
                PINNED_VERSION.set(now);
                runWarmers();
            } catch (RuntimeException e) {
                LOG.warn("warming the cache after a write failed: {}", e.getMessage());
            } finally {
                PINNED_VERSION.remove();
                writesFinished.incrementAndGet();
                writesRunning.decrementAndGet();
            }
        }
    }

    /** On a thread warming the cache for a write that has not returned yet, the version it warms for. */
    private static final ThreadLocal<String> PINNED_VERSION = new ThreadLocal<>();

    private void runWarmers() {
        long start = System.nanoTime();
        QueryCache.uncounted(() -> {
            for (Runnable r : warmers) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("warming the cache failed: {}", e.getMessage());
                }
            }
        });
        LOG.debug("cache warmed in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Adds {@code read} to what {@link #warm} runs: a read whose answer the first visitor of a page would otherwise wait
     * for (it should go through {@link #cached}). Features register their landing reads when their routes are built.
     */
    public void warmWith(Runnable read) {
        warmers.add(read);
    }

    /**
     * Runs the registered reads on a background thread so that their answers for the current data are cached before
     * anyone asks (at start; writes through this store warm before they return). Failures are logged and skipped
     * (the request that asks again will show them).
     */
    public void warm() {
        try {
            warmThread.execute(this::runWarmers);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("not warming the cache: the store is closed");
        }
    }

    /**
     * The enabled user API token {@code token} acts for, if it is valid, unexpired and unrevoked. A token
     * that passed is remembered (by its SHA-256) until it expires or any token is revoked or any user's
     * password or status changes through {@link #users()} or {@link #apiTokens()}: the server holds the
     * store alone (DuckDB lets one process open it), so no other process can change them meanwhile, and an
     * API request needs no store query to know who it is for. Records when the token was used, at most once
     * per {@link #TOKEN_USE_INTERVAL} per token, so a busy client does not make every request a write.
     */
    public Optional<User> authenticateToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String key = sha256(token);
        long generation = credentialsGeneration.get();
        Instant now = engine.clock().instant();
        CheckedToken known = checkedTokens.get(key);
        ApiTokens.TokenUser found;
        if (known != null && known.generation() == generation && known.validAt(now)) {
            found = known.token();
        } else {
            Optional<ApiTokens.TokenUser> read = apiTokens().verify(token);
            if (read.isEmpty()) {
                checkedTokens.remove(key);
                return Optional.empty();
            }
            found = read.get();
            checkedTokens.put(key, new CheckedToken(found, generation));
        }
        recordUse(found.tokenId(), now);
        return Optional.of(found.user());
    }

    /** A token {@link ApiTokens#verify} accepted while the credentials were at {@code generation}. */
    private record CheckedToken(ApiTokens.TokenUser token, long generation) {
        boolean validAt(Instant now) {
            return token.expiresAt().map(e -> LocalDateTime.ofInstant(now, ZoneOffset.UTC).isBefore(e)).orElse(true);
        }
    }

    private void recordUse(long tokenId, Instant now) {
        boolean[] due = {false};
        tokenUseRecorded.compute(tokenId, (id, last) -> {
            due[0] = last == null || !now.isBefore(last.plus(TOKEN_USE_INTERVAL));
            return due[0] ? now : last;
        });
        if (due[0]) {
            try {
                apiTokens().recordUse(tokenId, now);
            } catch (StoreException e) {
                LOG.warn("could not record the use of API token {}: {}", tokenId, e.getMessage());
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * {@code loader}'s value for {@code query} and {@code args} at the current data version, from the
     * cache when an equal request was answered since the data last changed. {@code loader} must
     * return an immutable, non-null value.
     */
    public <T> T cached(String query, List<Object> args, Supplier<T> loader) {
        return cache.get(new QueryCache.Key(dataVersion(), query, args), loader);
    }

    /** The cache, for its hit and miss counts. */
    public QueryCache cache() {
        return cache;
    }

    /** The first rows of each filtered and sorted customer list are cached as one answer (see {@link #customers}). */
    public static final int LIST_PREFIX_ROWS = 1_000;

    /**
     * One page of the customer list ({@link CustomerList}). On a store of up to {@link #CUSTOMERS_IN_MEMORY} customers,
     * from the whole list held in memory ({@link CustomerListInMemory}, read once per data version). On a larger store,
     * cached: pages within the first {@link #LIST_PREFIX_ROWS}
     * rows, which is where people page, are cut from one cached read of those rows per filter and sort, so paging and
     * changing the page size read nothing; later pages are read and cached one by one. The total is cached per filter,
     * so every page and sort of one filter shares one count.
     */
    public CustomerPage customers(CustomerFilter filter, CustomerSort sort, boolean descending, long offset, int limit) {
        CustomersInMemory all = customersInMemory();
        if (all != null) {
            return new CustomerPage(all.list().rows(filter, sort, descending, offset, limit), all.list().count(filter));
        }
        String version = dataVersion();
        long total = cache.get(new QueryCache.Key(version, "customers.count", List.of(filter)),
                () -> CustomerList.on(engine).count(filter));
        List<CustomerRow> rows;
        if (offset + limit <= LIST_PREFIX_ROWS) {
            List<CustomerRow> prefix = cache.get(new QueryCache.Key(version, "customers.prefix", Arrays.asList(filter, sort, descending)),
                    () -> List.copyOf(CustomerList.on(engine).first(filter, sort, descending, LIST_PREFIX_ROWS)));
            rows = prefix.subList((int) Math.min(offset, prefix.size()), (int) Math.min(offset + limit, prefix.size()));
        } else {
            rows = cache.get(new QueryCache.Key(version, "customers.rows", Arrays.asList(filter, sort, descending, offset, limit)),
                    () -> List.copyOf(CustomerList.on(engine).rows(filter, sort, descending, offset, limit)));
        }
        return new CustomerPage(rows, total);
    }

    /**
     * Up to this many customers, the customer list and every customer's profile and newest {@link #TRANSACTIONS_IN_MEMORY}
     * purchase lines are kept in memory (about 2 KB a customer).
     */
    public static final int CUSTOMERS_IN_MEMORY = 100_000;
    /** How many of each customer's newest purchase lines are kept in memory: the first page of the history and one more. */
    public static final int TRANSACTIONS_IN_MEMORY = 21;

    /**
     * The {@code customer_profile} row of the customer with source id {@code customer}, if there is one. On a store of
     * up to {@link #CUSTOMERS_IN_MEMORY} customers, every customer's profile comes from one query per data version and
     * is kept (DuckDB answers a query for one customer at about the cost of a scan, and a busy server asks for
     * thousands of different customers); on a larger store each customer is read and cached alone.
     */
    public Optional<Map<String, Object>> customerProfile(String customer) {
        CustomersInMemory all = customersInMemory();
        if (all == null) {
            return named("customer_profile", Map.of("customer", customer)).stream().findFirst();
        }
        Object[] row = all.profiles().get(customer);
        return row == null ? Optional.empty() : Optional.of(asMap(all.profileColumns(), row));
    }

    /**
     * The {@code customer_transactions} rows of customer {@code customer}, newest first, skipping {@code offset} and
     * at most {@code limit}: from memory when they are within the kept newest lines (see {@link #customerProfile}).
     */
    public List<Map<String, Object>> customerTransactions(String customer, long offset, int limit) {
        CustomersInMemory all = customersInMemory();
        if (all == null || offset + limit > TRANSACTIONS_IN_MEMORY) {
            return named("customer_transactions", Map.of("customer", customer, "limit", limit, "offset", offset));
        }
        List<Object[]> latest = all.latest().getOrDefault(customer, List.of());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = (int) offset; i < Math.min(latest.size(), offset + limit); i++) {
            out.add(asMap(all.transactionColumns(), latest.get(i)));
        }
        return List.copyOf(out);
    }

    /** Reads (or finds cached) every customer's profile and newest lines; null when the store has too many customers. */
    public CustomersInMemory customersInMemory() {
        return cached("customers.in-memory", List.of(), this::readCustomers).orElse(null);
    }

    /** Every customer's profile row and newest purchase lines, by source id (values shared between rows where equal). */
    public record CustomersInMemory(CustomerListInMemory list, List<String> profileColumns, Map<String, Object[]> profiles,
                                    List<String> transactionColumns, Map<String, List<Object[]>> latest) {}

    private static Map<String, Object> asMap(List<String> columns, Object[] row) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            map.put(columns.get(i), row[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    private Optional<CustomersInMemory> readCustomers() {
        try (Connection c = engine.connect()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM customers"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > customersInMemory) {
                    return Optional.empty();
                }
            }
            // Product names, categories, order ids and dates repeat across lines: keep one copy of each.
            Map<Object, Object> shared = new java.util.HashMap<>();
            NamedQuery.Table profiles = NamedQueries.find("customer_profile").orElseThrow().table(c, Map.of());
            int key = profiles.columns().indexOf("customer");
            Map<String, Object[]> byCustomer = new java.util.HashMap<>(profiles.rows().size() * 2);
            for (Object[] row : profiles.rows()) {
                share(row, shared);
                byCustomer.put((String) row[key], row);
            }
            NamedQuery.Table lines = NamedQueries.find("customer_transactions").orElseThrow()
                    .table(c, Map.of("per_customer", TRANSACTIONS_IN_MEMORY));
            int owner = lines.columns().indexOf("customer");
            Map<String, List<Object[]>> latest = new java.util.HashMap<>(byCustomer.size() * 2);
            for (Object[] row : lines.rows()) {
                share(row, shared);
                latest.computeIfAbsent((String) row[owner], k -> new ArrayList<>(4)).add(row);
            }
            return Optional.of(new CustomersInMemory(CustomerList.on(engine).inMemory(), profiles.columns(), Collections.unmodifiableMap(byCustomer), lines.columns(),
                    Collections.unmodifiableMap(latest)));
        } catch (SQLException e) {
            throw new StoreException("cannot read the customers of " + engine.file() + ": " + e.getMessage(), e);
        }
    }

    private static void share(Object[] row, Map<Object, Object> shared) {
        for (int i = 0; i < row.length; i++) {
            if (row[i] instanceof String || row[i] instanceof LocalDate) {
                row[i] = shared.computeIfAbsent(row[i], v -> v);
            }
        }
    }

    /**
     * The rows of the {@code clv} named query {@code query} ({@link NamedQueries}, the same rows a
     * report gets) with {@code params} (null values are left out), cached and unmodifiable.
     *
     * @throws IllegalArgumentException when the query is unknown or a parameter is unknown or of the wrong type
     */
    public List<Map<String, Object>> named(String query, Map<String, ?> params) {
        return namedAt(dataVersion(), query, params);
    }

    /** {@link #named} at data version {@code version}, for a composition that reads the version once. */
    private List<Map<String, Object>> namedAt(String version, String query, Map<String, ?> params) {
        NamedQuery q = NamedQueries.find(query).orElseThrow(() -> new IllegalArgumentException("no clv query named " + query));
        Map<String, Object> given = new TreeMap<>();
        params.forEach((k, v) -> {
            if (v != null) {
                given.put(k, v);
            }
        });
        return cache.get(new QueryCache.Key(version, "named:" + query, List.of(given.toString())), () -> {
            try (Connection c = engine.connect()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Map<String, Object> row : q.rows(c, given)) {
                    rows.add(Collections.unmodifiableMap(row));
                }
                return List.copyOf(rows);
            } catch (SQLException e) {
                throw new StoreException("clv query " + query + " failed on " + engine.file() + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Writes the rows of the {@code clv} named query {@code query} with {@code values} to {@code out} as they
     * are read ({@link QueryRowsJson}: columns and types first, then the rows), on a connection of its own and
     * never cached: the plugin of a reporting server reads them while this runs. Returns the row count.
     *
     * @throws IllegalArgumentException when the query is unknown or a value does not fit its parameter
     * @throws StoreException when the query fails; if rows were already written, the answer ends with an error first
     * @throws java.io.UncheckedIOException when the client went away
     */
    public long streamNamed(String query, Map<String, ?> values, OutputStream out, CharacterEscapes escapes) {
        NamedQuery q = NamedQueries.find(query).orElseThrow(() -> new IllegalArgumentException("no clv query named " + query));
        try (Connection c = engine.connect(); PreparedStatement ps = q.prepare(c, values); ResultSet rs = ps.executeQuery()) {
            return QueryRowsJson.write(q.name(), rs, out, escapes);
        } catch (SQLException e) {
            throw new StoreException("clv query " + query + " failed on " + engine.file() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first row of {@link #named}, or an empty map when the query answered none. */
    public Map<String, Object> namedRow(String query, Map<String, ?> params) {
        return first(named(query, params));
    }

    /**
     * What the dashboard page and {@code /api/dashboard} show, cached as one value (see {@link DashboardData}). Its
     * queries are cached one by one too (the dashboard's charts read some of them), all at the one data version read
     * first: the fingerprint query runs once, not once per query.
     */
    public DashboardData dashboard() {
        String v = dataVersion();
        return cache.get(new QueryCache.Key(v, "dashboard", List.of()), () -> new DashboardData(
                first(namedAt(v, "kpis", Map.of())),
                namedAt(v, "period_kpis", Map.of("days", DashboardData.PERIOD_DAYS)),
                namedAt(v, "clv_distribution", Map.of()),
                namedAt(v, "clv_by_segment", Map.of()),
                first(namedAt(v, "retention_summary", Map.of())),
                firstRows(namedAt(v, "at_risk", Map.of("limit", DashboardData.AT_RISK_READ)), DashboardData.AT_RISK_ROWS),
                first(namedAt(v, "quality_run", Map.of())),
                namedAt(v, "quality_history", Map.of("limit", 2)),
                namedAt(v, "cohort_retention", Map.of("cohorts", DashboardData.COHORTS, "months", DashboardData.COHORTS))));
    }

    private static List<Map<String, Object>> firstRows(List<Map<String, Object>> rows, int n) {
        return List.copyOf(rows.subList(0, Math.min(n, rows.size())));
    }

    private static Map<String, Object> first(List<Map<String, Object>> rows) {
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    @Override
    public void close() {
        warmThread.shutdownNow();
        pageReads.shutdownNow();
        cache.close();
    }

    /** The engine, for services that take it (they open their own connections). */
    public Engine engine() {
        return engine;
    }

    /** The web server's users (sign-in, roles). */
    public Users users() {
        return new Users(engine, credentialsGeneration::incrementAndGet);
    }

    /** API tokens of machine clients. */
    public ApiTokens apiTokens() {
        return new ApiTokens(engine, credentialsGeneration::incrementAndGet);
    }

    /** Sign-in attempts and lockouts. */
    public LoginThrottle loginThrottle() {
        return new LoginThrottle(engine);
    }

    /** What {@code clv info} shows, cached. */
    public StoreInfo info() {
        return cached("info", List.of(), () -> StoreInfo.of(engine));
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

    /** The date of the newest transaction and the time of the newest model fit, cached. */
    public Freshness freshness() {
        return cached("freshness", List.of(), this::readFreshness);
    }

    private Freshness readFreshness() {
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

    /**
     * The rows of {@link #named} (cached) as {@link Row}s, for pages.
     *
     * @throws DataValidationException naming the parameter when a value does not fit its type
     * @throws StoreException when the store cannot run it
     */
    public List<Row> rows(String query, Map<String, ?> params) {
        try {
            return named(query, params).stream().map(Row::new).toList();
        } catch (IllegalArgumentException e) {
            throw new DataValidationException(e.getMessage());
        }
    }

    /** The first row of {@link #rows}, if any. */
    public Optional<Row> row(String query, Map<String, ?> params) {
        return rows(query, params).stream().findFirst();
    }

    /**
     * A product's lifecycle with its monthly series and stage history ({@code ProductAnalytics.lifecycle}: the stored
     * catalogue analysis when it is current, else analysed for the call; a read either way), cached; empty when no
     * product has that code.
     */
    public Optional<io.clvanalytics.engine.lifecycle.ProductLifecycle> productLifecycle(String code) {
        return cached("productLifecycle", List.of(code), () -> {
            var analytics = io.clvanalytics.engine.lifecycle.ProductAnalytics.of(engine);
            long id;
            try {
                id = analytics.resolveProduct(code);
            } catch (DataValidationException unknown) {
                return Optional.empty();
            }
            return Optional.of(analytics.lifecycle(id));
        });
    }

    /**
     * What a product's page shows, read at once on two threads (each read cached): the lifecycle ({@link
     * #productLifecycle}), up to {@code related} related products (the {@code related_products} query) and the buyers'
     * profile ({@link #buyersProfile}). Empty when no product has that code.
     */
    public Optional<ProductReads> productPage(String code, int related) {
        CompletableFuture<List<Row>> pairs = CompletableFuture.supplyAsync(
                () -> rows("related_products", Map.of("product", code, "limit", related)), pageReads);
        CompletableFuture<Optional<io.clvanalytics.engine.lifecycle.CustomerProfile>> buyers = CompletableFuture.supplyAsync(() -> {
            try {
                return Optional.of(buyersProfile(code));
            } catch (DataValidationException unknown) {
                return Optional.empty();
            }
        }, pageReads);
        Optional<io.clvanalytics.engine.lifecycle.ProductLifecycle> lifecycle = productLifecycle(code);
        try {
            return lifecycle.map(l -> new ProductReads(l, pairs.join(), buyers.join().orElseThrow()));
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** A product page's reads (see {@link #productPage}). */
    public record ProductReads(io.clvanalytics.engine.lifecycle.ProductLifecycle lifecycle, List<Row> related,
                               io.clvanalytics.engine.lifecycle.CustomerProfile buyers) {}

    /** How the buyers of product {@code code} compare with all customers, over the whole history, cached. */
    public io.clvanalytics.engine.lifecycle.CustomerProfile buyersProfile(String code) {
        return cached("buyersProfile", List.of(code), () -> {
            var analytics = io.clvanalytics.engine.lifecycle.ProductAnalytics.of(engine);
            return analytics.customerProfile(analytics.resolveProduct(code), analytics.fullHistory());
        });
    }

    /** The newest data-quality run with every result and its sample of offending rows, cached. */
    public Optional<io.clvanalytics.engine.quality.QualityRun> latestQualityRun() {
        return cached("latestQualityRun", List.of(), () -> io.clvanalytics.engine.quality.DataQuality.of(engine).latestRun());
    }

    /** Runs every enabled data-quality check now and stores the run (a write: call it from heavy work). */
    public io.clvanalytics.engine.quality.QualityRun runQualityChecks() {
        return write(() -> io.clvanalytics.engine.quality.DataQuality.of(engine).run());
    }

    /** Fits {@code model} and Gamma-Gamma on the whole history and scores every customer (a long write). */
    public io.clvanalytics.engine.clv.ClvService.PipelineReport fitAndScore(String model) {
        return write(() -> io.clvanalytics.engine.clv.ClvService.on(engine).fitAndScore(model, io.clvanalytics.engine.clv.TimeUnit.WEEK,
                0.0, io.clvanalytics.engine.clv.ClvService.DEFAULT_HORIZON_MONTHS, io.clvanalytics.engine.clv.ClvService.DEFAULT_DISCOUNT_RATE));
    }

    /** What importing with {@code options} would read (layout, mapping, date format, first {@code rows} rows); writes nothing. */
    public io.clvanalytics.engine.ingest.ImportPreview previewImport(io.clvanalytics.engine.ingest.ImportOptions options, int rows) {
        return io.clvanalytics.engine.ingest.Importer.into(engine).preview(options, rows);
    }

    /**
     * Imports as {@code options} say, all or nothing (a long write: call it from heavy work). One import at a time:
     * the engine's importer must not run twice at once on one store.
     */
    public io.clvanalytics.engine.ingest.ImportResult runImport(io.clvanalytics.engine.ingest.ImportOptions options) {
        synchronized (importLock) {
            return write(() -> io.clvanalytics.engine.ingest.Importer.into(engine).run(options));
        }
    }

    /** The parameters a user can set on report {@code template}. */
    public List<io.clvanalytics.engine.jasper.ReportRenderer.TemplateParameter> reportParameters(
            io.clvanalytics.engine.jasper.ReportTemplate template) {
        return io.clvanalytics.engine.jasper.ReportRenderer.of(engine).parameters(template);
    }

    /** Renders report {@code template} in {@code format} into {@code out} (not closed). */
    public io.clvanalytics.engine.jasper.RenderedReport renderReport(io.clvanalytics.engine.jasper.ReportTemplate template,
            io.clvanalytics.engine.jasper.ReportFormat format, Map<String, String> params, java.io.OutputStream out) {
        return io.clvanalytics.engine.jasper.ReportRenderer.of(engine).render(template.templateName(), format, params, out);
    }

    /** Kaplan-Meier survival of customers (churn after 180 silent days), overall with its 95 % band and per segment, cached. */
    public io.clvanalytics.engine.retention.SurvivalReport survival() {
        return cached("survival", List.of(), () -> io.clvanalytics.engine.retention.RetentionService.of(engine).survival(null,
                io.clvanalytics.engine.retention.RetentionSettings.defaults().inactivityDays(),
                io.clvanalytics.engine.retention.RetentionService.SurvivalGrouping.SEGMENT,
                io.clvanalytics.engine.retention.CohortUnit.MONTH, null, null));
    }
}
