package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.spi.CacheBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import net.jqwik.api.lifecycle.AfterProperty;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The hook through which a backend runs the contract suite. A backend's test class extends one of
 * the feature contracts ({@code KeyValueContract}, {@code QueueContract}, ...) and supplies
 * {@link #settings()}; everything else is inherited:
 *
 * <pre>{@code
 * class MemoryKeyValueTest extends KeyValueContract {
 *     protected CacheSettings.Builder settings() { return CacheSettings.builder(); }
 * }
 * }</pre>
 *
 * <p>Before each test (JUnit Jupiter {@code @Test} and jqwik {@code @Property} alike) the store is
 * cleared with {@link #clearStore()} and {@link #cache} is built from {@code settings().build()};
 * after it, {@link #cache} and every cache made by {@link #newCache} are closed.
 */
public abstract class CacheContract {

    /** How long {@link #await} waits for a result, and how long Awaitility waits for a condition. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The prefix of every key when settings do not change it. */
    protected static final String PREFIX = "brickworks";

    /** The master tenant when settings do not change it. */
    protected static final String MASTER = "public";

    /** Created before each test from settings().build(), closed after. */
    protected BrickworksCache cache;

    private final List<BrickworksCache> opened = new CopyOnWriteArrayList<>();

    /**
     * Settings for a fresh cache on the backend under test (memory: {@code CacheSettings.builder()};
     * Redis: {@code .useRedis(true).redisHost(..).redisPort(..)}). Called once per cache, so each
     * call must return a new builder.
     */
    protected abstract CacheSettings.Builder settings();

    /** Removes all data between tests (Redis: FLUSHALL on the harness server). Default: nothing. */
    protected void clearStore() {
    }

    /**
     * How many keys the store holds, counting every key of every tenant, or empty when the backend
     * cannot tell. Bad-input and tenancy tests compare it before and after a rejected call to prove
     * that nothing was written (Redis: {@code DBSIZE}). Default: empty, and those tests then probe
     * only the keys the rejected call would have written.
     */
    protected OptionalLong storedKeyCount() {
        return OptionalLong.empty();
    }

    /**
     * Builds a cache; override to build it differently (for example with a backend given to
     * {@link BrickworksCache.Builder#backend}). Every cache of a test is built here.
     */
    protected BrickworksCache build(CacheSettings settings, TenantResolver resolver) {
        return BrickworksCache.builder().settings(settings).tenantResolver(resolver).build();
    }

    @BeforeEach
    @BeforeProperty
    protected final void openContractCache() {
        clearStore();
        cache = track(build(settings().build(), TenantResolver.bound()));
    }

    @AfterEach
    @AfterProperty
    protected final void closeContractCaches() {
        List<RuntimeException> failures = new ArrayList<>();
        for (BrickworksCache c : opened) {
            try {
                c.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        opened.clear();
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("closing a cache failed: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    private BrickworksCache track(BrickworksCache c) {
        opened.add(c);
        return c;
    }

    /**
     * Another independent instance (as another replica would have), customized; closed after the
     * test. It has its own lock owner token and tenant resolution, and works on the same store as
     * {@link #cache} (the same Redis; for the memory backend, the same in-process store).
     */
    protected BrickworksCache newCache(UnaryOperator<CacheSettings.Builder> customize) {
        return newCache(customize, TenantResolver.bound());
    }

    /** Another independent instance with its own tenant resolver; closed after the test. */
    protected BrickworksCache newCache(UnaryOperator<CacheSettings.Builder> customize, TenantResolver resolver) {
        return track(build(customize.apply(settings()).build(), resolver));
    }

    /** Another independent instance with the same settings as {@link #cache}; closed after the test. */
    protected BrickworksCache newCache() {
        return newCache(UnaryOperator.identity());
    }

    /**
     * Waits for an async result (at most {@link #TIMEOUT}) and unwraps {@link CompletionException}
     * and {@link ExecutionException}: a failed stage rethrows its cause.
     *
     * @throws AssertionError when no result comes within the timeout
     */
    protected static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a result", e);
        }
    }

    /**
     * Awaitility, waiting at most {@link #TIMEOUT} and polling every 20 ms: for expiry, which tests
     * wait for instead of sleeping.
     */
    protected static ConditionFactory eventually() {
        return Awaitility.await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20));
    }

    // ------------------------------------------------------------------ helpers on the store

    /** The full key {@code brickworks:<tenant>:<namespace>:<key>} of the wire format. */
    protected static String fullKey(String tenant, String namespace, String key) {
        return PREFIX + ":" + tenant + ":" + namespace + ":" + key;
    }

    /** The full key of index {@code index}: {@code brickworks:<tenant>:<namespace>:__index__.<index>}. */
    protected static String indexKey(String tenant, String namespace, String index) {
        return fullKey(tenant, namespace, "__index__." + index);
    }

    /** The backend of {@code c}, to read the store directly (TTLs, index sets) below the API. */
    protected static CacheBackend backendOf(BrickworksCache c) {
        if (c instanceof DefaultBrickworksCache d) {
            return d.backend();
        }
        if (c instanceof BlockingAdapter adapter) {
            return backendOf(adapter.async());
        }
        throw new IllegalStateException("the contract suite reads the store through DefaultBrickworksCache, not "
                + c.getClass().getName());
    }

    /** The backend of {@link #cache}. */
    protected CacheBackend backend() {
        return backendOf(cache);
    }

    /** Whether the store holds {@code fullKey} (of any type), read below the API. */
    protected boolean stored(String fullKey) {
        return await(backend().ttlMillis(fullKey)) != -2L;
    }

    /** The remaining TTL of {@code fullKey} in ms; -1 without expiry, -2 when missing. */
    protected long ttlMillis(String fullKey) {
        return await(backend().ttlMillis(fullKey));
    }

    /**
     * Runs {@code rejected}, which must throw, and checks that nothing was stored: none of
     * {@code probes} (full keys) exists afterwards and, when the backend can count its keys, the
     * count is unchanged.
     *
     * @return what {@code rejected} threw
     */
    protected RuntimeException assertNothingWritten(Runnable rejected, String... probes) {
        OptionalLong before = storedKeyCount();
        RuntimeException thrown = null;
        try {
            rejected.run();
        } catch (RuntimeException e) {
            thrown = e;
        }
        assertThat(thrown).as("the rejected call must throw").isNotNull();
        for (String probe : probes) {
            assertThat(stored(probe)).as("nothing may be stored at %s", probe).isFalse();
        }
        OptionalLong after = storedKeyCount();
        if (before.isPresent() && after.isPresent()) {
            assertThat(after.getAsLong()).as("number of keys in the store").isEqualTo(before.getAsLong());
        }
        return thrown;
    }
}
