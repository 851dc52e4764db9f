package io.brickworks.cache.redis;

import io.brickworks.cache.spi.CacheBackendException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
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
 * to {@link #MAX_BACKOFF}). A command issued while there is no connection waits for the next one at
 * most the command timeout and is then sent once, or fails without having been sent. Nothing is ever
 * sent twice and nothing that timed out is sent later.
 *
 * <p>Nothing here blocks a Netty thread: reconnection is asynchronous and timers run on the client's
 * event executors. Owns its client and client resources: {@link #close()} releases both.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private static final Duration MIN_BACKOFF = Duration.ofMillis(20);
    static final Duration MAX_BACKOFF = Duration.ofMillis(500);

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final RedisFaults faults;
    private final long timeoutNanos;
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

    private RedisLink(ClientResources resources, RedisClient client, RedisURI uri, RedisFaults faults,
                      Duration timeout) {
        this.resources = resources;
        this.client = client;
        this.uri = uri;
        this.faults = faults;
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * Connects, blocking the calling thread at most about the command timeout.
     *
     * @throws CacheBackendException naming the address when Redis cannot be reached or refuses the
     *     login; the client resources are released again
     */
    static RedisLink open(ClientResources resources, RedisURI uri, ClientOptions options, RedisFaults faults,
                          Duration timeout) {
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(options);
        RedisLink link = new RedisLink(resources, client, uri, faults, timeout);
        try {
            StatefulRedisConnection<String, byte[]> first = client.connect(CODEC, uri);
            first.addListener(link.disconnectListener);
            link.connection = first;
            return link;
        } catch (RuntimeException e) {
            link.close();
            throw faults.cannotConnect(e);
        }
    }

    RedisFaults faults() {
        return faults;
    }

    /** The commands of the live connection, for one-off work while opening. */
    RedisAsyncCommands<String, byte[]> commandsNow() {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null) {
            throw faults.notConnected(lastFailure);
        }
        return c.async();
    }

    /**
     * Sends {@code command} once on the live connection (or on the next one, if it comes within the
     * command timeout) and returns its result through {@code call}.
     */
    <T, R> RedisCall<T, R> execute(Function<RedisAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command,
                                  RedisCall<T, R> call) {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null && c.isOpen()) {
            call.send(c.async(), command);
        } else {
            if (c != null) {
                lost(c);
            }
            whenConnected(command, call);
        }
        return call;
    }

    private <T, R> void whenConnected(Function<RedisAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command,
                                      RedisCall<T, R> call) {
        CompletableFuture<RedisAsyncCommands<String, byte[]>> next;
        StatefulRedisConnection<String, byte[]> live;
        synchronized (lock) {
            if (closed) {
                call.completeExceptionally(faults.closed());
                return;
            }
            next = nextConnection;
            live = connection;
        }
        if (next == null) {
            // reconnected between the check and the lock
            call.send(live.async(), command);
            return;
        }
        Waiter<T, R> waiter = new Waiter<>(call, command);
        waiter.timer = resources.eventExecutorGroup().schedule(waiter::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        next.whenComplete(waiter);
    }

    /** A command waiting for a connection: exactly one of "send" and "expire" wins. */
    private final class Waiter<T, R> extends AtomicBoolean implements BiConsumer<RedisAsyncCommands<String, byte[]>, Throwable> {
        private static final long serialVersionUID = 1L;
        private final transient RedisCall<T, R> call;
        private final transient Function<RedisAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command;
        volatile transient ScheduledFuture<?> timer;

        Waiter(RedisCall<T, R> call, Function<RedisAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
            this.call = call;
            this.command = command;
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
                call.send(commands, command);
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
        LOG.warn("Lost the connection to Redis at {}; reconnecting in the background. Commands wait for the new "
                + "connection at most the command timeout.", faults.address());
        dropped.removeListener(disconnectListener);
        dropped.closeAsync();
        attemptReconnect();
    }

    private void attemptReconnect() {
        if (closed) {
            return;
        }
        CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt;
        try {
            attempt = client.connectAsync(CODEC, uri).toCompletableFuture();
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
        synchronized (lock) {
            if (closed) {
                return;
            }
            lastFailure = error;
            failedAttempts++;
            delay = Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(failedAttempts, 10));
        }
        if (failedAttempts == 1 || LOG.isDebugEnabled()) {
            LOG.warn("Cannot reconnect to Redis at {} yet: {}; retrying every {} ms at most", faults.address(),
                    faults.redact(String.valueOf(RedisFaults.unwrap(error).getMessage())), MAX_BACKOFF.toMillis());
        }
        try {
            resources.eventExecutorGroup().schedule(this::attemptReconnect, delay, TimeUnit.MILLISECONDS);
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
        if (!fresh.isOpen()) {
            lost(fresh);
        }
        if (waiting != null) {
            waiting.complete(fresh.async());
        }
    }

    boolean isConnected() {
        StatefulRedisConnection<String, byte[]> c = connection;
        return c != null && c.isOpen();
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
            clientDown.whenComplete((ignored, error) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
            return;
        }
        try {
            clientDown.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Redis client shutdown for {} did not finish cleanly", faults.address(), e);
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
