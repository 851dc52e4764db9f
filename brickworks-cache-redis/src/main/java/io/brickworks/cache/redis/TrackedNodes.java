package io.brickworks.cache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Redis nodes whose connections track the near cache's reads ({@link NearCache}): the one
 * server (or Sentinel's primary) behind a {@link RedisLink}, or every primary of a cluster behind a
 * {@link ClusterLink}, as its slot map shows them now.
 */
interface TrackedNodes extends AutoCloseable {

    /** The id of the one node of a server or Sentinel setup. */
    String ONE = "";

    /** Whether the nodes are a cluster's primaries (reads are then routed by slot). */
    boolean isCluster();

    /** The ids of the nodes to track now. */
    Set<String> current();

    /** Opens a connection of its own to node {@code id}. */
    CompletableFuture<StatefulRedisConnection<String, byte[]>> connect(String id);

    /** The address of node {@code id}, for messages. */
    String address(String id);

    /** Reads the nodes again soon (a tracked node stopped being a primary); nothing on one server. */
    default void refreshSoon() {
    }

    /** Releases what was created for the connections (not the connections themselves). */
    @Override
    void close();

    /** The one server (or Sentinel's primary) that {@code link} talks to. */
    static TrackedNodes one(RedisChannel link) {
        return new TrackedNodes() {
            @Override
            public boolean isCluster() {
                return false;
            }

            @Override
            public Set<String> current() {
                return Set.of(ONE);
            }

            @Override
            @SuppressWarnings("unchecked")
            public CompletableFuture<StatefulRedisConnection<String, byte[]>> connect(String id) {
                return link.connectDedicated().thenApply(d -> (StatefulRedisConnection<String, byte[]>) d.connection());
            }

            @Override
            public String address(String id) {
                return link.faults().address();
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Every primary of {@code link}'s cluster that serves slots and is not marked failed, as
     * Lettuce's slot map shows it (refreshed periodically and on redirects, see {@link ClusterLink});
     * connections open with a client of their own on {@code resources}, with {@code options} and the
     * login and TLS of {@code template}. The client is shut down by {@link #close()}; the resources
     * are left alone.
     */
    static TrackedNodes primariesOf(ClusterLink link, ClientResources resources, ClientOptions options, RedisURI template) {
        RedisClient client = RedisClient.create(resources);
        client.setOptions(options);
        return new TrackedNodes() {
            @Override
            public boolean isCluster() {
                return true;
            }

            @Override
            public Set<String> current() {
                Set<String> ids = new HashSet<>();
                for (RedisClusterNode n : link.partitions()) {
                    if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()
                            && !n.is(RedisClusterNode.NodeFlag.FAIL) && !n.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)) {
                        ids.add(n.getNodeId());
                    }
                }
                return ids;
            }

            @Override
            public CompletableFuture<StatefulRedisConnection<String, byte[]>> connect(String id) {
                RedisClusterNode node = link.partitions().getPartitionByNodeId(id);
                if (node == null) {
                    return CompletableFuture.failedFuture(new IllegalStateException("Redis Cluster node " + id
                            + " is no longer in the slot map"));
                }
                RedisURI uri = RedisURI.builder(template).withHost(node.getUri().getHost()).withPort(node.getUri().getPort()).build();
                return client.connectAsync(StoredNameCodec.INSTANCE, uri).toCompletableFuture();
            }

            @Override
            public void refreshSoon() {
                link.refreshTopologySoon();
            }

            @Override
            public String address(String id) {
                RedisClusterNode node = link.partitions().getPartitionByNodeId(id);
                return node == null ? id : node.getUri().getHost() + ":" + node.getUri().getPort() + " (" + id + ")";
            }

            /** Shuts the client down, waiting for it (a few seconds at most) unless on a Netty thread. */
            @Override
            public void close() {
                CompletableFuture<Void> down = client.shutdownAsync(0, 2, TimeUnit.SECONDS);
                if (!(Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread)) {
                    try {
                        down.get(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        // the backend is closing: a client that did not stop in time is left to the JVM
                    }
                }
            }
        };
    }
}
