package io.clvanalytics.server.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.ehcache.Cache;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ExpiryPolicyBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;

/**
 * Results of read queries, kept in an Ehcache heap tier counted in entries (byte sizing measures
 * objects by reflection, which JDK 17 blocks). Every key holds the store's {@link
 * io.clvanalytics.engine.DataVersion} at the time of the read, so once any import, fit, score or
 * other run commits, the next request misses the old entries and reads the new data: nothing is
 * invalidated by hand. The TTL is only a backstop. Values must be immutable; they are shared
 * between requests.
 */
public final class QueryCache implements AutoCloseable {

    /** What a cached value depends on: the data version, the query's name and its arguments. */
    public record Key(String dataVersion, String query, List<Object> args) {
        public Key {
            args = List.copyOf(args);
        }
    }

    private final CacheManager manager;
    private final Cache<Key, Object> cache;
    private final Counter hits;
    private final Counter misses;
    /**
     * How many loads run at once. DuckDB runs every query's tasks on one shared pool of worker threads (as many
     * as cores), so 20 concurrent misses made every query, a cheap one too, wait behind all of them; the rest
     * wait here instead. A load that asks for other entries (the dashboard's) holds its one permit.
     */
    static final int CONCURRENT_LOADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final ThreadLocal<Boolean> LOADING = ThreadLocal.withInitial(() -> false);
    /** False on a thread inside {@link #uncounted}: warming the cache is not a request, so it is not a hit or a miss. */
    private static final ThreadLocal<Boolean> COUNTED = ThreadLocal.withInitial(() -> true);
    private final Semaphore loadPermits = new Semaphore(CONCURRENT_LOADS, true);
    /** Loads under way, so concurrent misses of one key share one load. */
    private final ConcurrentHashMap<Key, CompletableFuture<Object>> loading = new ConcurrentHashMap<>();

    /**
     * @param entries how many results the heap keeps (least recently used go first)
     * @param ttl     the longest a result is kept whatever happens
     * @param meters  where the hit and miss counters ({@code clv_cache_gets_total{result=hit|miss}}) go
     */
    public QueryCache(long entries, Duration ttl, MeterRegistry meters) {
        manager = CacheManagerBuilder.newCacheManagerBuilder().build(true);
        cache = manager.createCache("queries", CacheConfigurationBuilder
                .newCacheConfigurationBuilder(Key.class, Object.class, ResourcePoolsBuilder.heap(entries))
                .withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(ttl)));
        hits = Counter.builder("clv.cache.gets").tag("result", "hit").description("cached query results found").register(meters);
        misses = Counter.builder("clv.cache.gets").tag("result", "miss").description("query results computed").register(meters);
    }

    /**
     * The value cached under {@code key}, or {@code loader}'s value, cached. Requests that miss the same
     * key at the same time wait for one load instead of each running the query (after a data change,
     * every dashboard request would otherwise recompute the dashboard at once). A failed load is not
     * cached; its waiters get the failure.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Key key, Supplier<T> loader) {
        boolean counted = COUNTED.get();
        Object v = cache.get(key);
        if (v != null) {
            if (counted) {
                hits.increment();
            }
            return (T) v;
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            if (counted) {
                hits.increment();
            }
            try {
                return (T) running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        if (counted) {
            misses.increment();
        }
        boolean outermost = !LOADING.get();
        try {
            if (outermost) {
                loadPermits.acquireUninterruptibly();
                LOADING.set(true);
            }
            T loaded = loader.get();
            cache.put(key, loaded);
            mine.complete(loaded);
            return loaded;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            if (outermost) {
                LOADING.set(false);
                loadPermits.release();
            }
            loading.remove(key, mine);
        }
    }

    /** Runs {@code work} on this thread without counting its gets as hits or misses (for warming the cache). */
    static void uncounted(Runnable work) {
        COUNTED.set(false);
        try {
            work.run();
        } finally {
            COUNTED.set(true);
        }
    }

    /** Cache hits so far (a request that waited for another one's load of the same key counts as a hit). */
    public double hits() {
        return hits.count();
    }

    /** Cache misses so far. */
    public double misses() {
        return misses.count();
    }

    @Override
    public void close() {
        manager.close();
    }
}
