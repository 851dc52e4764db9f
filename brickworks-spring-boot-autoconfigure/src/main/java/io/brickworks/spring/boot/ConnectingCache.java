package io.brickworks.spring.boot;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.spi.CacheBackendException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of {@code brickworks.cache.redis.connect-at-startup=false}: a {@link BrickworksCache} that
 * the context can start with while Redis is down. It tries to build (and so connect) the real cache
 * at once and then, until that succeeds, every {@link #RETRY} on one daemon thread
 * ({@code brickworks-connect}). Until then every call fails with {@link CacheBackendException} (a
 * method returning a future returns a failed future; others throw) naming the address and the last
 * error, so the health check reports DOWN; afterwards every call goes to the real cache.
 * {@link BrickworksCache#settings()} answers at once; {@code close()} stops the retries and closes
 * the real cache if it was built.
 */
final class ConnectingCache implements InvocationHandler {

    static final Duration RETRY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ConnectingCache.class);

    private final Supplier<BrickworksCache> build;
    private final CacheSettings settings;
    private final ScheduledExecutorService retries;
    private volatile BrickworksCache delegate;
    private volatile String lastError = "not tried yet";
    private volatile boolean closed;

    private ConnectingCache(Supplier<BrickworksCache> build, CacheSettings settings) {
        this.build = build;
        this.settings = settings;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brickworks-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /** A cache that connects now if it can, else in the background. */
    static BrickworksCache open(Supplier<BrickworksCache> build, CacheSettings settings) {
        ConnectingCache handler = new ConnectingCache(build, settings);
        handler.retries.execute(handler::connect);
        return (BrickworksCache) Proxy.newProxyInstance(BrickworksCache.class.getClassLoader(),
                new Class<?>[] {BrickworksCache.class}, handler);
    }

    private synchronized void connect() {
        if (closed || delegate != null) {
            return;
        }
        try {
            delegate = build.get();
            retries.shutdown();
            LOG.info("Connected to Redis at {}", settings.redisAddress());
        } catch (RuntimeException e) {
            boolean first = "not tried yet".equals(lastError);
            lastError = e.getMessage();
            if (first) {
                LOG.warn("Cannot connect to Redis at {} yet ({}); the application starts anyway and retries every {}",
                        settings.redisAddress(), lastError, RETRY);
            }
            retries.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "settings":
                return settings;
            case "close":
                close();
                return null;
            case "toString":
                return "BrickworksCache{" + (delegate != null ? delegate : "connecting to " + settings.redisAddress()) + "}";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                break;
        }
        BrickworksCache cache = delegate;
        if (cache == null) {
            CacheBackendException notYet = new CacheBackendException("not connected to Redis at "
                    + settings.redisAddress() + " yet (connect-at-startup=false): " + lastError);
            if (method.getReturnType() == CompletableFuture.class) {
                return CompletableFuture.failedFuture(notYet);
            }
            throw notYet;
        }
        try {
            return method.invoke(cache, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private synchronized void close() {
        closed = true;
        retries.shutdownNow();
        if (delegate != null) {
            delegate.close();
        }
    }
}
