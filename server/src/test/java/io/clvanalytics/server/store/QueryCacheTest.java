package io.clvanalytics.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueryCacheTest {

    @Test
    void concurrentMissesOfOneKeyRunTheLoaderOnceAndAnotherVersionLoadsAgain() throws Exception {
        try (QueryCache cache = new QueryCache(100, Duration.ofMinutes(5), new SimpleMeterRegistry())) {
            AtomicInteger loads = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            QueryCache.Key key = new QueryCache.Key("v1", "dashboard", List.of());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(pool.submit(() -> cache.get(key, () -> {
                        loads.incrementAndGet();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return "answer";
                    })));
                }
                Thread.sleep(300);
                release.countDown();
                for (Future<String> f : answers) {
                    assertEquals("answer", f.get(10, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, loads.get());
            assertEquals(1, cache.misses());
            assertEquals(7, cache.hits());
            assertEquals("new", cache.get(new QueryCache.Key("v2", "dashboard", List.of()), () -> "new"));
            assertEquals(2, cache.misses());
        }
    }

    @Test
    void aFailedLoadIsNotCached() {
        try (QueryCache cache = new QueryCache(100, Duration.ofMinutes(5), new SimpleMeterRegistry())) {
            QueryCache.Key key = new QueryCache.Key("v1", "q", List.of(1));
            assertThrows(IllegalStateException.class, () -> cache.get(key, () -> {
                throw new IllegalStateException("store busy");
            }));
            assertEquals("ok", cache.get(key, () -> "ok"));
        }
    }
}
