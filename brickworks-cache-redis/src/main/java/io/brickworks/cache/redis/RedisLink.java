package io.brickworks.cache.redis;

import io.brickworks.cache.spi.CacheBackendException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection with at-most-once delivery and its own reconnection.
 *
 * <p>Lettuce's own auto-reconnect is switched off on purpose: with it, Lettuce re-sends the commands
 * that were written but not yet answered when a connection dropped (at-least-once), so an
 * {@code RPUSH} or {@code INCR} could be applied twice without anyone noticing. Here, a connection
 * that drops fails its unanswered commands (the caller learns the outcome is unknown) and is
 * replaced by a new one that this class opens in the background, retrying with a growing pause (up
 * to {@link #MAX_BACKOFF}). While the first reconnection attempt runs, a command waits for its
 * connection at most the command timeout and is then sent once, or fails without having been sent.
 * When an attempt fails, Redis is known to be down: the waiting commands fail then, and later ones
 * at once, unsent, until a later attempt succeeds; so no waiters pile up during a long outage.
 * Through Sentinel, where a failed attempt usually means a failover is under way, commands keep
 * waiting instead, each at most the command timeout, and go to the promoted primary. A
 * command that provably never left the process (turned away by a dropping connection) is sent on
 * the next connection under the same rules. Nothing is ever sent twice and nothing that timed out
 * is sent later.
 *
 * <p>Nothing here blocks a Netty thread: reconnection is asynchronous and timers run on the client's
 * event executors. Owns its client, and its client resources unless the application gave them:
 * {@link #close()} releases what it owns.
 */
final class RedisLink implements RedisChannel {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    private static final Duration MIN_BACKOFF = Duration.ofMillis(20);
    static final Duration MAX_BACKOFF = Duration.ofMillis(500);

    private final ClientResources resources;
    /** Whether {@link #resources} were created for this link (then closing shuts them down) or given by the application. */
    private final boolean ownsResources;
    private final RedisClient client;
    private final RedisURI uri;
    private final RedisFaults faults;
    private final long timeoutNanos;
    /**
     * With Sentinel, a failed reconnection right after the primary was lost is the first phase of a
     * failover (the Sentinels still name the old primary until they have promoted a replica), not
     * proof of an outage: commands keep waiting, each at most the command timeout, for the promoted
     * primary instead of failing at once.
     */
    private final boolean holdDuringFailover;
    private final RedisConnectionStateListener disconnectListener = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            lost(handler);
        }
    };

    private final Object lock = new Object();
    /** The live connection, or {@code null} while reconnecting. */
    private volatile StatefulRedisConnection<String, byte[]> connection;
    /** Completes with the next connection; non-null exactly while {@link #connection} is null. Guarded by lock. */
    private CompletableFuture<RedisAsyncCommands<String, byte[]>> nextConnection;
    private volatile Throwable lastFailure;
    private int failedAttempts;
    private volatile boolean closed;
    /** The latest reconnection attempt, so that closing can let it finish before the threads go. */
    private volatile CompletableFuture<?> connecting;
    /** Told, on the I/O thread that noticed it, each time the live connection is lost. */
    private final java.util.List<Runnable> lossListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RedisLink(ClientResources resources, boolean ownsResources, RedisClient client, RedisURI uri,
                      RedisFaults faults, Duration timeout) {
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.client = client;
        this.uri = uri;
        this.faults = faults;
        this.timeoutNanos = timeout.toNanos();
        this.holdDuringFailover = !uri.getSentinels().isEmpty();
    }

    /**
     * Connects, blocking the calling thread at most about the command timeout.
     *
     * @param ownsResources whether closing the link shuts {@code resources} down (false for the application's own)
     * @throws CacheBackendException naming the address when Redis cannot be reached or refuses the
     *     login; the client resources are released again if owned
     */
    static RedisLink open(ClientResources resources, boolean ownsResources, RedisURI uri, ClientOptions options,
                          RedisFaults faults, Duration timeout) {
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(options);
        RedisLink link = new RedisLink(resources, ownsResources, client, uri, faults, timeout);
        try {
            StatefulRedisConnection<String, byte[]> first = client.connect(StoredNameCodec.INSTANCE, uri);
            first.addListener(link.disconnectListener);
            link.connection = first;
            return link;
        } catch (RuntimeException e) {
            link.close();
            throw faults.cannotConnect(e);
        }
    }

    /**
     * Runs {@code listener} each time the live connection is found lost, before reconnecting starts
     * (the near cache stops serving then). It must be fast and must not throw.
     */
    void whenLost(Runnable listener) {
        lossListeners.add(listener);
    }

    @Override
    public RedisFaults faults() {
        return faults;
    }

    @Override
    public RedisClusterAsyncCommands<String, byte[]> commandsNow() {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null) {
            throw faults.notConnected(lastFailure);
        }
        return c.async();
    }

    @Override
    public CompletableFuture<DedicatedConnection> connectDedicated() {
        return client.connectAsync(StoredNameCodec.INSTANCE, uri).toCompletableFuture()
                .thenApply(c -> new DedicatedConnection(c, c.async()));
    }

    /**
     * Sends {@code call}'s command once on the live connection (or on the next one, if it comes
     * within the command timeout); the outcome completes {@code call}.
     */
    @Override
    public <T, R> RedisCall<T, R> execute(RedisCall<T, R> call) {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null && c.isOpen()) {
            call.sendOn(c.async());
        } else {
            sendWhenConnected(call);
        }
        return call;
    }

    @Override
    public <T, R> void takeBack(RedisCall<T, R> call, RedisClusterAsyncCommands<String, byte[]> usedCommands) {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null && c.async() == usedCommands) {
            lost(c);
        }
        sendWhenConnected(call);
    }

    /**
     * Sends {@code call} on the next connection: at once if there is a live one, after the running
     * reconnection attempt if there is one (waiting at most the command timeout), or not at all
     * (failing {@code call}) when Redis is known to be down.
     */
    private <T, R> void sendWhenConnected(RedisCall<T, R> call) {
        StatefulRedisConnection<String, byte[]> seen = connection;
        if (seen != null && !seen.isOpen()) {
            lost(seen);
        }
        CompletableFuture<RedisAsyncCommands<String, byte[]>> next;
        StatefulRedisConnection<String, byte[]> live;
        synchronized (lock) {
            if (closed) {
                call.completeExceptionally(faults.closed());
                return;
            }
            if (failedAttempts > 0 && !holdDuringFailover) {
                // known to be down: fail now rather than pile up waiters for the whole outage
                call.completeExceptionally(faults.unreachable(lastFailure));
                return;
            }
            next = nextConnection;
            live = connection;
        }
        if (next == null) {
            // reconnected in the meantime
            call.sendOn(live.async());
            return;
        }
        Waiter<T, R> waiter = new Waiter<>(call);
        waiter.timer = resources.eventExecutorGroup().schedule(waiter::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        next.whenComplete(waiter);
    }

    /** A command waiting for a connection: exactly one of "send" and "expire" wins. */
    private final class Waiter<T, R> extends AtomicBoolean implements BiConsumer<RedisAsyncCommands<String, byte[]>, Throwable> {
        private static final long serialVersionUID = 1L;
        private final transient RedisCall<T, R> call;
        volatile transient ScheduledFuture<?> timer;

        Waiter(RedisCall<T, R> call) {
            this.call = call;
        }

        void expire() {
            if (compareAndSet(false, true)) {
                call.completeExceptionally(faults.notConnected(lastFailure));
            }
        }

        @Override
        public void accept(RedisAsyncCommands<String, byte[]> commands, Throwable error) {
            if (!compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            if (error != null) {
                call.completeExceptionally(faults.translate(error));
            } else {
                call.sendOn(commands);
            }
        }
    }

    /** The connection behind {@code handler} dropped: forget it and start reconnecting. */
    private void lost(Object handler) {
        StatefulRedisConnection<String, byte[]> dropped;
        synchronized (lock) {
            dropped = connection;
            if (closed || dropped == null || dropped != handler) {
                return;
            }
            connection = null;
            nextConnection = new CompletableFuture<>();
            failedAttempts = 0;
        }
        for (Runnable listener : lossListeners) {
            listener.run();
        }
        LOG.warn("Lost the connection to Redis at {}; reconnecting in the background. Commands wait for the new "
                + "connection at most the command timeout.", faults.address());
        dropped.removeListener(disconnectListener);
        dropped.closeAsync();
        // off the I/O thread that reported the loss: opening a connection may resolve a host name
        reconnectSoon(0);
    }

    private void attemptReconnect() {
        if (closed) {
            return;
        }
        CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt;
        try {
            attempt = client.connectAsync(StoredNameCodec.INSTANCE, uri).toCompletableFuture();
        } catch (RuntimeException e) {
            retryLater(e);
            return;
        }
        connecting = attempt;
        attempt.whenComplete((fresh, error) -> {
            if (error != null) {
                retryLater(error);
            } else {
                reconnected(fresh);
            }
        });
    }

    private void retryLater(Throwable error) {
        long delay;
        int attempts;
        CompletableFuture<RedisAsyncCommands<String, byte[]>> waiting = null;
        synchronized (lock) {
            if (closed) {
                return;
            }
            lastFailure = error;
            attempts = ++failedAttempts;
            delay = Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(attempts, 10));
            if (attempts == 1 && !holdDuringFailover) {
                // Redis is down: the commands waiting for this attempt fail now, and later ones at once
                waiting = nextConnection;
                nextConnection = new CompletableFuture<>();
            }
        }
        if (waiting != null) {
            waiting.completeExceptionally(faults.unreachable(error));
        }
        if (attempts == 1) {
            LOG.warn("Cannot reconnect to Redis at {} yet: {}; retrying every {} ms at most", faults.address(),
                    faults.redact(String.valueOf(RedisFaults.unwrap(error).getMessage())), MAX_BACKOFF.toMillis());
        }
        reconnectSoon(delay);
    }

    private void reconnectSoon(long delayMillis) {
        try {
            resources.eventExecutorGroup().schedule(this::attemptReconnect, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            // the executors are shutting down: the link is closing
        }
    }

    private void reconnected(StatefulRedisConnection<String, byte[]> fresh) {
        CompletableFuture<RedisAsyncCommands<String, byte[]>> waiting;
        synchronized (lock) {
            if (closed) {
                fresh.closeAsync();
                return;
            }
            fresh.addListener(disconnectListener);
            connection = fresh;
            waiting = nextConnection;
            nextConnection = null;
            lastFailure = null;
        }
        LOG.info("Reconnected to Redis at {}", faults.address());
        faults.metrics().reconnected();
        if (!fresh.isOpen()) {
            lost(fresh);
        }
        if (waiting != null) {
            waiting.complete(fresh.async());
        }
    }

    /**
     * Closes the connection and shuts down the client and its resources. Waits for the shutdown
     * (a few seconds at most) unless called on a Netty thread, where it only starts it.
     */
    @Override
    public void close() {
        StatefulRedisConnection<String, byte[]> c;
        CompletableFuture<RedisAsyncCommands<String, byte[]>> waiting;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = connection;
            connection = null;
            waiting = nextConnection;
            nextConnection = null;
        }
        if (waiting != null) {
            waiting.completeExceptionally(faults.closed());
        }
        boolean mayWait = !(Thread.currentThread() instanceof FastThreadLocalThread);
        if (c != null) {
            c.removeListener(disconnectListener);
        }
        CompletableFuture<?> attempt = connecting;
        if (mayWait && attempt != null) {
            try {
                attempt.get(timeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // a failed or slow attempt: it ends with the client
            }
        }
        // shutting the client down closes its connection; the resources go after it, not under it
        CompletableFuture<Void> clientDown = client.shutdownAsync(0, 2, TimeUnit.SECONDS);
        if (!mayWait) {
            if (ownsResources) {
                clientDown.whenComplete((ignored, error) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
            }
            return;
        }
        try {
            clientDown.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Redis client shutdown for {} did not finish cleanly", faults.address(), e);
        }
        if (ownsResources) {
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
