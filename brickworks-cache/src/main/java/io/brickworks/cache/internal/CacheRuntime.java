package io.brickworks.cache.internal;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.function.FunctionCacheStats;
import io.brickworks.cache.lock.internal.LockService;
import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.memory.MemoryBackendFactory;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What the views of one cache share: the settings, the backend (owned), the tenant resolver, the
 * owner token that marks this instance's locks, the executor for application code (the
 * application's, or one owned by the cache), and (created on first use, closed with the cache) the
 * scheduler for timed work and the lock service.
 *
 * <p>The threads of the owned pools are all started when a pool is created, so that a pool first
 * used from a backend I/O thread never starts a thread there.
 */
public final class CacheRuntime {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger SCHEDULERS = new AtomicInteger();
    private static final AtomicInteger WORKER_POOLS = new AtomicInteger();

    /** The threads of the default executor: one per CPU, at least two. */
    static int defaultWorkerThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    private final CacheSettings settings;
    private final CacheBackend backend;
    private final TenantResolver tenantResolver;
    private final String ownerToken;
    private final byte[] ownerTokenBytes;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** {@link #closed}, as a plain volatile field for the read path's check. */
    private volatile boolean isClosed;
    /** The key scope of each tenant in use, so that scopes (and their namespace heads) are built once. */
    private final ConcurrentHashMap<String, KeyScope> scopes = new ConcurrentHashMap<>();
    private final IgnoredTenantWarning ignoredTenant = new IgnoredTenantWarning();
    /** The signature of each function name registered on this cache (see {@link #registerFunction}). */
    private final ConcurrentHashMap<String, String> functionSignatures = new ConcurrentHashMap<>();
    private volatile ScheduledThreadPoolExecutor scheduler;
    private LockService locks;
    /** The application's executor, never shut down here; null for the owned {@link #workers}. */
    private final Executor givenExecutor;
    private volatile ThreadPoolExecutor workers;
    /** Where events go; {@link CacheMetrics#NONE} until a binder is bound. */
    private volatile CacheMetrics metrics = CacheMetrics.NONE;
    /** The cached functions built in this cache, reported to every binder; guarded by itself. */
    private final List<Map.Entry<String, Supplier<FunctionCacheStats>>> functions = new ArrayList<>();

    private CacheRuntime(CacheSettings settings, CacheBackend backend, TenantResolver tenantResolver,
                         Executor executor) {
        this.settings = settings;
        this.backend = backend;
        this.tenantResolver = tenantResolver;
        this.givenExecutor = executor;
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.ownerToken = "bw-" + HexFormat.of().formatHex(random);
        this.ownerTokenBytes = ownerToken.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Creates the backend the settings ask for (unless one is given) and returns the root cache.
     *
     * @param executor the application's executor for application code, or null for one owned by the cache
     */
    public static BrickworksCache open(CacheSettings settings, TenantResolver resolver, CacheBackend given,
                                       Executor executor) {
        CacheBackend backend = given != null ? given : createBackend(settings);
        return new DefaultBrickworksCache(new CacheRuntime(settings, backend, resolver, executor), null, true);
    }

    static CacheBackend createBackend(CacheSettings settings) {
        String kind = settings.useRedis() ? "redis" : "memory";
        if (kind.equals("memory")) {
            return new MemoryBackendFactory().create(settings);
        }
        for (CacheBackendFactory factory : ServiceLoader.load(CacheBackendFactory.class)) {
            if (factory.kind().equals(kind)) {
                return factory.create(settings);
            }
        }
        throw new IllegalStateException("USE_REDIS is set but no Redis backend is on the class path: add the "
                + "io.brickworks:brickworks-cache-redis dependency");
    }

    public CacheSettings settings() {
        return settings;
    }

    /**
     * Records that a cached function named {@code name} with the given options is made on this cache. The
     * same name again with the same options is fine (a second proxy of one interface, a function built
     * again); with other options it would share entries that mean something else, so it is refused.
     *
     * @throws IllegalArgumentException if {@code name} was registered with another signature
     */
    public void registerFunction(String name, String signature) {
        String earlier = functionSignatures.putIfAbsent(name, signature);
        if (earlier != null && !earlier.equals(signature)) {
            throw new IllegalArgumentException("function name '" + name + "' is already registered on this cache "
                    + "with other options (" + earlier + "); this one has (" + signature + "): give it its own "
                    + "name, or the same options");
        }
    }

    /** With multi-tenancy off: warns once if a tenant is bound to this thread (see {@link IgnoredTenantWarning}). */
    void checkIgnoredTenant() {
        ignoredTenant.check(settings.masterTenant());
    }

    public CacheBackend backend() {
        return backend;
    }

    /** How many tenants' scopes are kept; beyond that, scopes of new tenants are built per call. */
    private static final int MAX_SCOPES = 10_000;

    /** The key scope of {@code tenant} (a checked name). */
    KeyScope scope(String tenant) {
        KeyScope scope = scopes.get(tenant);
        if (scope == null) {
            scope = new KeyScope(settings.keyPrefix(), tenant);
            if (scopes.size() < MAX_SCOPES) {
                KeyScope raced = scopes.putIfAbsent(tenant, scope);
                scope = raced != null ? raced : scope;
            }
        }
        return scope;
    }

    /** Where this cache's events go; never null. */
    public CacheMetrics metrics() {
        return metrics;
    }

    /**
     * Sends this cache's events (and its backend's) to {@code listener} from now on, and reports to
     * it every cached function built so far.
     */
    public void bindMetrics(CacheMetrics listener) {
        List<Map.Entry<String, Supplier<FunctionCacheStats>>> known;
        synchronized (functions) {
            metrics = listener;
            known = List.copyOf(functions);
        }
        backend.bindMetrics(listener);
        for (Map.Entry<String, Supplier<FunctionCacheStats>> f : known) {
            listener.functionCreated(f.getKey(), f.getValue());
        }
    }

    /** A cached function was built: remembered for later binders and reported to the bound one. */
    public void functionCreated(String name, Supplier<FunctionCacheStats> stats) {
        CacheMetrics listener;
        synchronized (functions) {
            functions.add(Map.entry(name, stats));
            listener = metrics;
        }
        listener.functionCreated(name, stats);
    }

    public TenantResolver tenantResolver() {
        return tenantResolver;
    }

    /** The token that marks locks held by this cache instance. */
    public String ownerToken() {
        return ownerToken;
    }

    public byte[] ownerTokenBytes() {
        return ownerTokenBytes.clone();
    }

    public boolean isClosed() {
        return isClosed;
    }

    /**
     * The scheduler for timed work of this cache (lock renewal, waiting with backoff, the function
     * cache's lease renewal and polling): one daemon thread {@code brickworks-scheduler-<n>},
     * created on first use and shut down when the cache closes. Tasks must be short and must not
     * block: they send a command, or hand application code to {@link #executor()}.
     *
     * @throws IllegalStateException if the cache is closed
     */
    public ScheduledExecutorService scheduler() {
        ScheduledThreadPoolExecutor s = scheduler;
        if (s != null && !isClosed) {
            return s;
        }
        synchronized (this) {
            checkNotClosed();
            if (scheduler == null) {
                String name = "brickworks-scheduler-" + SCHEDULERS.incrementAndGet();
                s = new ScheduledThreadPoolExecutor(1, task -> daemon(task, name));
                s.setRemoveOnCancelPolicy(true);
                s.prestartAllCoreThreads();
                scheduler = s;
            }
            return scheduler;
        }
    }

    /**
     * Where this cache runs application code: cached functions, {@code withLock} work and callbacks
     * (see {@code BrickworksCache.Builder.executor}). The application's executor if it gave one;
     * otherwise a pool owned by this cache, created on first use with all its threads started:
     * {@link #defaultWorkerThreads()} daemon threads {@code brickworks-worker-<n>-<i>}, an unbounded
     * queue, shut down (queued tasks still run) when the cache closes.
     *
     * @throws IllegalStateException if the cache is closed and the pool was never created
     */
    public Executor executor() {
        if (givenExecutor != null) {
            return givenExecutor;
        }
        ThreadPoolExecutor w = workers;
        if (w != null) {
            return w;
        }
        synchronized (this) {
            if (workers == null) {
                checkNotClosed();
                int threads = defaultWorkerThreads();
                String prefix = "brickworks-worker-" + WORKER_POOLS.incrementAndGet() + "-";
                AtomicInteger count = new AtomicInteger();
                workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>(), task -> daemon(task, prefix + count.incrementAndGet()));
                workers.prestartAllCoreThreads();
            }
            return workers;
        }
    }

    /**
     * Creates the scheduler and the executor now, with their threads, unless the cache is closed:
     * called on the application's thread by the features that will need them (function cache,
     * waiting locks, {@code withLock}), so that no thread is ever started on a backend I/O thread.
     */
    public void startThreads() {
        try {
            scheduler();
            executor();
        } catch (IllegalStateException closedMeanwhile) {
            // the call itself reports the closed cache
        }
    }

    private void checkNotClosed() {
        if (closed.get()) {
            throw new IllegalStateException("this cache is closed (" + backend.describe() + ")");
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /** The lock service of this cache, created on first use. */
    public synchronized LockService locks() {
        if (locks == null) {
            locks = new LockService(backend, this::scheduler, this::executor, ownerToken, settings.defaultExpire(),
                    this::metrics);
        }
        return locks;
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            isClosed = true;
            LockService l;
            ScheduledThreadPoolExecutor s;
            ThreadPoolExecutor w;
            synchronized (this) {
                l = locks;
                s = scheduler;
                w = workers;
            }
            if (l != null) {
                l.close();
            }
            if (s != null) {
                s.shutdownNow();
            }
            backend.close();
            if (w != null) {
                // queued application code still runs (its cache calls fail), so that no caller waits forever
                w.shutdown();
            }
        }
    }
}
