package io.brickworks.cache.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A primary with one replica watched by three Sentinels (quorum 2), all {@code redis-server}
 * processes on free loopback ports that the test owns. Sentinels consider the primary down after
 * one second, so {@link #killPrimaryAndAwaitFailover()} sees the replica promoted within seconds.
 *
 * <p>With an ACL user in the {@link RedisAccess}, the data nodes require it and the Sentinels log in
 * to them with it; the Sentinels themselves accept the default user (over TLS when the access is
 * TLS).
 *
 * <pre>{@code
 * try (RedisSentinelHarness sentinel = RedisSentinelHarness.start()) {
 *     ... sentinel.sentinels(), RedisSentinelHarness.MASTER ...
 * }
 * }</pre>
 */
public final class RedisSentinelHarness implements AutoCloseable {

    /** The name the Sentinels monitor the primary under. */
    public static final String MASTER = "mymaster";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final RedisAccess access;
    private final List<RedisServer> dataNodes;
    private final List<RedisServer> sentinels;

    private RedisSentinelHarness(RedisAccess access, List<RedisServer> dataNodes, List<RedisServer> sentinels) {
        this.access = access;
        this.dataNodes = List.copyOf(dataNodes);
        this.sentinels = List.copyOf(sentinels);
    }

    /** Starts a plain-text setup with the default user and waits until the Sentinels see it all. */
    public static RedisSentinelHarness start() {
        return start(RedisAccess.PLAIN);
    }

    /** Starts a setup reached with {@code access} and waits until the Sentinels see it all. */
    public static RedisSentinelHarness start(RedisAccess access) {
        List<RedisServer> data = new ArrayList<>();
        List<RedisServer> watchers = new ArrayList<>();
        try {
            RedisServer primary = RedisServer.start(access);
            data.add(primary);
            data.add(RedisServer.start(access, "--replicaof", RedisServer.HOST, String.valueOf(primary.port())));
            StringBuilder config = new StringBuilder()
                    .append("sentinel monitor ").append(MASTER).append(' ').append(RedisServer.HOST).append(' ')
                    .append(primary.port()).append(" 2\n")
                    .append("sentinel down-after-milliseconds ").append(MASTER).append(" 1000\n")
                    .append("sentinel failover-timeout ").append(MASTER).append(" 5000\n")
                    .append("sentinel parallel-syncs ").append(MASTER).append(" 1\n");
            if (access.user() != null) {
                config.append("sentinel auth-user ").append(MASTER).append(' ').append(access.user()).append('\n')
                        .append("sentinel auth-pass ").append(MASTER).append(' ').append(access.password()).append('\n');
            }
            for (int i = 0; i < 3; i++) {
                watchers.add(RedisServer.startSentinel(RedisServer.freePort(), access, config.toString()));
            }
            RedisSentinelHarness harness = new RedisSentinelHarness(access, data, watchers);
            harness.awaitHealthy();
            return harness;
        } catch (RuntimeException e) {
            data.forEach(RedisServer::close);
            watchers.forEach(RedisServer::close);
            throw e;
        }
    }

    /** How clients reach the data nodes. */
    public RedisAccess access() {
        return access;
    }

    /** The Sentinels' addresses as a comma-separated {@code host:port} list. */
    public String sentinels() {
        return sentinels.stream().map(RedisServer::address).collect(Collectors.joining(","));
    }

    /** The Sentinel processes. */
    public List<RedisServer> sentinelServers() {
        return sentinels;
    }

    /** The primary and the replica, in the order they were started (roles change on failover). */
    public List<RedisServer> dataNodes() {
        return dataNodes;
    }

    /** The data node that the first running Sentinel names as the primary now. */
    public RedisServer primary() {
        for (RedisServer s : sentinels) {
            if (s.isRunning()) {
                String out = s.cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
                List<String> lines = out.lines().map(String::trim).toList();
                int port = Integer.parseInt(lines.get(lines.size() - 1));
                return dataNodes.stream().filter(n -> n.port() == port).findFirst()
                        .orElseThrow(() -> new IllegalStateException("Sentinel names an unknown primary: " + out));
            }
        }
        throw new IllegalStateException("no Sentinel is running");
    }

    /**
     * Waits until every Sentinel names the same running primary, knows one replica and the two
     * other Sentinels, and the replica is in sync.
     */
    public void awaitHealthy() {
        Awaitility.await("sentinel setup healthy").atMost(READY_TIMEOUT).pollInterval(POLL).ignoreExceptions()
                .until(this::healthy);
    }

    private boolean healthy() {
        RedisServer primary = primary();
        if (!primary.isRunning() || !primary.cli("INFO", "replication").contains("role:master")) {
            return false;
        }
        for (RedisServer s : sentinels) {
            String master = s.cli("SENTINEL", "MASTER", MASTER);
            if (!master.contains(String.valueOf(primary.port()))
                    || !field(master, "num-slaves").equals("1")
                    || !field(master, "num-other-sentinels").equals("2")
                    || field(master, "flags").contains("down")) {
                return false;
            }
        }
        return dataNodes.stream().filter(n -> n != primary)
                .allMatch(r -> r.isRunning() && r.cli("INFO", "replication").contains("master_link_status:up"));
    }

    /** The value after {@code name} in redis-cli's one-item-per-line output of a flat reply. */
    private static String field(String reply, String name) {
        List<String> lines = reply.lines().map(String::trim).toList();
        int i = lines.indexOf(name);
        return i >= 0 && i + 1 < lines.size() ? lines.get(i + 1) : "";
    }

    /**
     * Kills the primary with SIGKILL and waits until the Sentinels have promoted the replica and
     * it accepts writes. The old primary is left down; {@link #restartKilled()} brings it back.
     *
     * @return the killed node
     */
    public RedisServer killPrimaryAndAwaitFailover() {
        RedisServer victim = killPrimary();
        awaitFailoverFrom(victim);
        return victim;
    }

    /** The data node that is not the primary now. */
    public RedisServer replica() {
        RedisServer primary = primary();
        return dataNodes.stream().filter(n -> n != primary).findFirst().orElseThrow();
    }

    /**
     * Makes the replica lag ({@link RedisServer#cutReplication()}): it stays up, and the Sentinels
     * still see it, but it receives none of the writes the primary goes on serving. Kill the primary
     * next ({@link #killPrimaryAndAwaitFailover()}) and the Sentinels promote the lagging replica,
     * which never saw those writes. {@link #restartKilled()} heals the link.
     *
     * @return the lagging replica
     */
    public RedisServer lagReplica() {
        RedisServer replica = replica();
        replica.cutReplication();
        return replica;
    }

    /**
     * The split-brain case: promotes the replica by hand ({@link RedisServer#promote()}, as an
     * operator or a partitioned failover would) while the primary keeps serving and the Sentinels
     * still name it, so that two primaries take writes. Kill the primary next: the Sentinels fail
     * over to the node promoted by hand, which never saw what the old primary took meanwhile. (Left
     * alone, the Sentinels turn the node back into a replica after about eight seconds.)
     *
     * @return the node promoted by hand
     */
    public RedisServer promoteReplicaByHand() {
        RedisServer replica = replica();
        replica.promote();
        return replica;
    }

    /** Waits until the replica has acknowledged everything the primary was sent. */
    public void awaitReplicaCaughtUp() {
        Awaitility.await("replica caught up").atMost(READY_TIMEOUT).pollInterval(POLL).ignoreExceptions()
                .until(() -> primary().replicasCaughtUp());
    }

    /** Kills the primary with SIGKILL and returns at once, before the Sentinels notice. */
    public RedisServer killPrimary() {
        RedisServer victim = primary();
        victim.kill();
        return victim;
    }

    /** Waits until the Sentinels have promoted a node other than {@code victim} and it accepts writes. */
    public void awaitFailoverFrom(RedisServer victim) {
        Awaitility.await("sentinel failover from " + victim.address()).atMost(READY_TIMEOUT).pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> {
                    RedisServer now = primary();
                    return now != victim && now.cli("INFO", "replication").contains("role:master");
                });
    }

    /**
     * Heals replicas cut by {@link #lagReplica()}, restarts killed data nodes (the Sentinels turn
     * them into replicas) and waits until healthy.
     */
    public void restartKilled() {
        for (RedisServer node : dataNodes) {
            if (node.isRunning()) {
                node.healReplication();
            }
        }
        for (RedisServer node : dataNodes) {
            if (!node.isRunning()) {
                node.restart();
            }
        }
        awaitHealthy();
    }

    /** Removes every key from the primary (FLUSHALL; the replica follows). */
    public void flushAll() {
        primary().flushAll();
    }

    /** Kills every process and deletes their folders. */
    @Override
    public void close() {
        sentinels.forEach(RedisServer::close);
        dataNodes.forEach(RedisServer::close);
    }

    @Override
    public String toString() {
        return "RedisSentinelHarness{sentinels " + sentinels() + ", " + access + "}";
    }
}
