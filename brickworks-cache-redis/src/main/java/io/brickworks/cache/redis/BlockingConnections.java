package io.brickworks.cache.redis;

import io.brickworks.cache.redis.RedisChannel.DedicatedConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The connections kept for blocking commands ({@code BLPOP}, {@code BLMOVE}): opened on demand,
 * at most {@link #MAX} of them, each running one blocking command at a time, reused afterwards, and
 * closed with the backend. A blocking command never runs on the shared connection. A caller that
 * finds all of them busy waits (without a thread) for one to come back, at most its own wait; a
 * connection that failed is closed and replaced by a new one on demand.
 *
 * <p>Each blocking command waits at most {@link #sliceMillis} on the server, half the command
 * timeout and at most a second, so that it is answered well within the command timeout (a command
 * timed out on the client would still take an item on the server), and a cancelled wait frees its
 * connection within a slice.
 */
final class BlockingConnections implements AutoCloseable {

    /** The most connections kept for blocking commands. */
    static final int MAX = 16;

    private final RedisChannel channel;
    private final long sliceMillis;
    private final ArrayDeque<DedicatedConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<DedicatedConnection>> waiting = new ArrayDeque<>();
    private int open;
    private boolean closed;

    BlockingConnections(RedisChannel channel, long commandTimeoutMillis) {
        this.channel = channel;
        this.sliceMillis = Math.max(1, Math.min(1000, commandTimeoutMillis / 2));
    }

    /** The longest wait of one blocking command. */
    long sliceMillis() {
        return sliceMillis;
    }

    /**
     * Runs {@code command} on a connection of the pool and returns it to the pool afterwards; if no
     * connection is free within {@code waitMillis}, completes with {@code null} without running it.
     */
    <T> CompletableFuture<T> run(long waitMillis, Function<DedicatedConnection, CompletableFuture<T>> command) {
        return borrow(waitMillis).thenCompose(c -> {
            if (c == null) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<T> done;
            try {
                done = command.apply(c);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            return done.whenComplete((result, error) -> giveBack(c, error == null));
        });
    }

    private CompletableFuture<DedicatedConnection> borrow(long waitMillis) {
        CompletableFuture<DedicatedConnection> lease = new CompletableFuture<>();
        boolean connect = false;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(channel.faults().closed());
            }
            DedicatedConnection c;
            while ((c = idle.pollFirst()) != null) {
                if (c.connection().isOpen()) {
                    return CompletableFuture.completedFuture(c);
                }
                // it died while idle (a Redis restart): replaced below
                c.connection().closeAsync();
                open--;
            }
            if (open < MAX) {
                open++;
                connect = true;
            } else {
                waiting.addLast(lease);
            }
        }
        if (connect) {
            channel.connectDedicated().whenComplete((c, error) -> {
                if (error != null) {
                    synchronized (this) {
                        open--;
                    }
                    lease.completeExceptionally(channel.faults().translate(error));
                } else if (!lease.complete(c)) {
                    giveBack(c, true);
                }
            });
            return lease;
        }
        return lease.completeOnTimeout(null, waitMillis, TimeUnit.MILLISECONDS);
    }

    private void giveBack(DedicatedConnection c, boolean healthy) {
        if (!healthy || !c.connection().isOpen()) {
            c.connection().closeAsync();
            synchronized (this) {
                open--;
            }
            return;
        }
        while (true) {
            CompletableFuture<DedicatedConnection> next;
            synchronized (this) {
                if (closed) {
                    break;
                }
                next = waiting.pollFirst();
                if (next == null) {
                    idle.addFirst(c);
                    return;
                }
            }
            if (next.complete(c)) {
                return;
            }
        }
        c.connection().closeAsync();
    }

    @Override
    public void close() {
        List<DedicatedConnection> toClose;
        List<CompletableFuture<DedicatedConnection>> toFail;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            toFail = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (CompletableFuture<DedicatedConnection> w : toFail) {
            w.completeExceptionally(channel.faults().closed());
        }
        for (DedicatedConnection c : toClose) {
            c.connection().closeAsync();
        }
    }
}
