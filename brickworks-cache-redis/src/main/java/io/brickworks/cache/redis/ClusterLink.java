package io.brickworks.cache.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * A Redis Cluster connection: Lettuce's cluster client, which keeps one connection per node and
 * routes every command to the primary that serves its key's slot, following {@code MOVED} and
 * {@code ASK} redirects.
 *
 * <p><b>Topology.</b> The client reads the cluster's slot map when it opens, again every
 * {@link RedisTopology#CLUSTER_REFRESH_PERIOD} and at once (rate-limited) when a node answers
 * {@code MOVED}/{@code ASK}, a slot has no known primary, or a node keeps refusing connections;
 * nodes marked as failed are not connected to. So a primary failing over to its replica, and slots
 * moving between primaries, are picked up without a restart.
 *
 * <p><b>Delivery.</b> Unlike {@link RedisLink}, a cluster connection uses Lettuce's own
 * reconnection, without which it would not follow failovers: a command held for a node that is
 * down is sent once the slot's new primary is known, and one that was written to a node that then
 * failed is sent again to the slot's new primary (at least once). A command that the cluster did
 * not execute because its slot had no primary is tried again until the command timeout (see
 * {@link #retryLater}). Every command still fails with a {@code CacheBackendException} when it has no
 * answer in time.
 *
 * <p>Owns its client, and its client resources unless the application gave them: {@link #close()}
 * releases what it owns.
 */
final class ClusterLink implements RedisChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);

    /** The pause before a command that a cluster without a primary for its slot did not execute is sent again. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    private final ClientResources resources;
    /** Whether {@link #resources} were created for this link (then closing shuts them down) or given by the application. */
    private final boolean ownsResources;
    private final RedisClusterClient client;
    private final RedisFaults faults;
    private final StatefulRedisClusterConnection<String, byte[]> connection;
    private final long timeoutNanos;
    private final Disposable topologyLog;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterLink(ClientResources resources, boolean ownsResources, RedisClusterClient client, RedisFaults faults,
                        StatefulRedisClusterConnection<String, byte[]> connection, Disposable topologyLog,
                        Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.client = client;
        this.faults = faults;
        this.connection = connection;
        this.topologyLog = topologyLog;
    }

    /**
     * Connects to the cluster through {@code seeds} (any reachable one will do) and reads its slot map.
     *
     * @throws io.brickworks.cache.spi.CacheBackendException naming the seeds when none can be
     *     reached or the login is refused; the client resources are released again
     */
    static ClusterLink open(ClientResources resources, boolean ownsResources, List<RedisURI> seeds,
                            ClusterClientOptions options, RedisFaults faults, Duration timeout) {
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(options);
        Disposable topologyLog = resources.eventBus().get()
                .filter(ClusterTopologyChangedEvent.class::isInstance)
                .subscribe(e -> LOG.info("Redis Cluster topology at {} changed; commands follow the new slot map",
                        faults.address()));
        try {
            StatefulRedisClusterConnection<String, byte[]> connection = client.connect(StoredNameCodec.INSTANCE);
            return new ClusterLink(resources, ownsResources, client, faults, connection, topologyLog, timeout);
        } catch (RuntimeException e) {
            topologyLog.dispose();
            shutdown(client, ownsResources ? resources : null, faults);
            throw faults.cannotConnect(e);
        }
    }

    @Override
    public RedisFaults faults() {
        return faults;
    }

    @Override
    public RedisClusterAsyncCommands<String, byte[]> commandsNow() {
        if (closed.get()) {
            throw faults.closed();
        }
        return connection.async();
    }

    /**
     * Reads the slot map again now, in the background (for the near cache when a primary it tracks
     * stops being one, so that the promoted node is tracked without waiting for the periodic refresh).
     */
    void refreshTopologySoon() {
        if (!closed.get()) {
            client.refreshPartitionsAsync().exceptionally(e -> {
                LOG.debug("Refreshing the Redis Cluster slot map at {} failed", faults.address(), e);
                return null;
            });
        }
    }

    /** The slot map as the client knows it now (refreshed periodically and on redirects). */
    io.lettuce.core.cluster.models.partitions.Partitions partitions() {
        return connection.getPartitions();
    }

    @Override
    public CompletableFuture<DedicatedConnection> connectDedicated() {
        return client.connectAsync(StoredNameCodec.INSTANCE).thenApply(c -> new DedicatedConnection(c, c.async()));
    }

    @Override
    public <T, R> RedisCall<T, R> execute(RedisCall<T, R> call) {
        if (closed.get()) {
            call.completeExceptionally(faults.closed());
        } else {
            call.sendOn(connection.async());
        }
        return call;
    }

    /** A command turned away unsent (a node connection was closing) is sent once more through the cluster. */
    @Override
    public <T, R> void takeBack(RedisCall<T, R> call, RedisClusterAsyncCommands<String, byte[]> usedCommands) {
        execute(call);
    }

    /**
     * While a slot has no primary (after a primary failed and before its replica took over) or the
     * cluster answers {@code CLUSTERDOWN}/{@code TRYAGAIN}, the command was not executed, so it is
     * sent again every {@link #RETRY_PAUSE} until the command timeout has passed since the call
     * was made; then the last failure is reported.
     */
    @Override
    public boolean retryLater(RedisCall<?, ?> call, Throwable cause) {
        if (closed.get() || !notExecuted(cause)
                || System.nanoTime() + RETRY_PAUSE.toNanos() - call.createdNanos >= timeoutNanos) {
            return false;
        }
        try {
            resources.eventExecutorGroup().schedule(() -> execute(call), RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RuntimeException rejected) {
            return false; // the executors are shutting down: report the failure
        }
    }

    /** Whether {@code error} says that the cluster did not execute the command, so sending it again is safe. */
    static boolean notExecuted(Throwable error) {
        Throwable e = RedisFaults.unwrap(error);
        if (e instanceof PartitionSelectorException) {
            return true;
        }
        String message = e instanceof RedisCommandExecutionException ? e.getMessage() : null;
        return message != null && (message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN"));
    }

    /**
     * Closes the connections and shuts down the client and its resources. Waits for the shutdown
     * (a few seconds at most) unless called on a Netty thread, where it only starts it. The
     * connection is closed first and the client shut down after: shutting the client down while
     * its connection is still closing can stall for seconds.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        topologyLog.dispose();
        CompletableFuture<Void> connectionDown = connection.closeAsync();
        if (Thread.currentThread() instanceof FastThreadLocalThread) {
            connectionDown.whenComplete((done, error) -> shutdown(client, ownsResources ? resources : null, faults));
            return;
        }
        awaitQuietly(connectionDown, "closing the Redis Cluster connection");
        shutdown(client, ownsResources ? resources : null, faults);
    }

    /** Shuts the client down, and {@code resources} unless null (the application's own are left alone). */
    private static void shutdown(RedisClusterClient client, ClientResources resources, RedisFaults faults) {
        CompletableFuture<Void> clientDown = client.shutdownAsync(0, 2, TimeUnit.SECONDS);
        io.netty.util.concurrent.Future<Boolean> resourcesDown = resources == null ? null
                : resources.shutdown(0, 2, TimeUnit.SECONDS);
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            awaitQuietly(clientDown, "the Redis Cluster client shutdown for " + faults.address());
            if (resourcesDown != null) {
                resourcesDown.awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> step, String what) {
        try {
            step.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("{} did not finish cleanly", what, e);
        }
    }
}
