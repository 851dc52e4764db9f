package io.brickworks.cache.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A Redis Cluster of three primaries with one replica each, six {@code redis-server} processes on
 * free loopback ports started from the same binary as {@link RedisServer}, joined with
 * {@code redis-cli --cluster create ... --cluster-replicas 1 --cluster-yes}. The test owns every
 * process; {@link #close()} kills them all.
 *
 * <p>Nodes time out after one second, and a replica may always take over however stale it is
 * ({@code cluster-replica-validity-factor 0}), so a killed primary is replaced within a few
 * seconds: see {@link #killPrimaryAndAwaitFailover()}.
 *
 * <pre>{@code
 * try (RedisClusterHarness cluster = RedisClusterHarness.start()) {
 *     ... cluster.seeds() ...
 * }
 * }</pre>
 */
public final class RedisClusterHarness implements AutoCloseable {

    /** How many slots a Redis Cluster has. */
    public static final int SLOTS = 16384;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final RedisAccess access;
    private final List<RedisServer> nodes;
    private final Map<RedisServer, String> nodeIds = new ConcurrentHashMap<>();

    private RedisClusterHarness(RedisAccess access, List<RedisServer> nodes) {
        this.access = access;
        this.nodes = List.copyOf(nodes);
    }

    /** Starts a plain-text cluster with the default user, and waits until it is ready. */
    public static RedisClusterHarness start() {
        return start(RedisAccess.PLAIN);
    }

    /** Starts a cluster reached with {@code access} (TLS, an ACL user), and waits until it is ready. */
    public static RedisClusterHarness start(RedisAccess access) {
        List<RedisServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                started.add(RedisServer.startOnSomePort(RedisClusterHarness::nodePort, access,
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "1000",
                        "--cluster-replica-validity-factor", "0"));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            started.forEach(n -> create.add(n.address()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            String out = started.get(0).cli(create.toArray(String[]::new));
            if (!out.contains("All " + SLOTS + " slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create did not cover every slot:\n" + out);
            }
            RedisClusterHarness cluster = new RedisClusterHarness(access, started);
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServer::close);
            throw e;
        }
    }

    /**
     * A free port for a cluster node whose cluster bus port (the port + 10000) is free too and
     * valid (at most 65535).
     */
    private static int nodePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = RedisServer.freePort();
            if (port + 10000 <= 65535 && RedisServer.isFree(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port with a free cluster bus port (port + 10000)");
    }

    /** All six nodes, running or not, in the order they were started. */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** How clients reach the nodes. */
    public RedisAccess access() {
        return access;
    }

    /** The running nodes' addresses as a comma-separated {@code host:port} list (seeds for a client). */
    public String seeds() {
        return nodes.stream().filter(RedisServer::isRunning).map(RedisServer::address).collect(Collectors.joining(","));
    }

    /** The running nodes that are primaries now, each serving a share of the slots. */
    public List<RedisServer> primaries() {
        return nodesView().stream()
                .filter(n -> n.flags().contains("master") && !n.failed() && n.slotRanges() > 0)
                .map(n -> server(n.port()))
                .flatMap(Optional::stream)
                .filter(RedisServer::isRunning)
                .toList();
    }

    /** The running nodes that are replicas now. */
    public List<RedisServer> replicas() {
        return nodesView().stream()
                .filter(n -> n.flags().contains("slave") && !n.failed())
                .map(n -> server(n.port()))
                .flatMap(Optional::stream)
                .filter(RedisServer::isRunning)
                .toList();
    }

    /**
     * Waits until every running node sees the cluster as {@code ok} with all slots served, three
     * primaries, and every primary with a replica in sync.
     *
     * @throws org.awaitility.core.ConditionTimeoutException after a minute
     */
    public void awaitHealthy() {
        Awaitility.await("cluster " + seeds() + " healthy").atMost(READY_TIMEOUT).pollInterval(POLL)
                .ignoreExceptions()
                .until(this::healthy);
    }

    private boolean healthy() {
        for (RedisServer node : nodes) {
            if (!node.isRunning()) {
                continue;
            }
            String info = node.cli("CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + SLOTS)) {
                return false;
            }
        }
        List<NodeLine> view = nodesView();
        List<NodeLine> primaries = view.stream().filter(n -> n.flags().contains("master") && n.slotRanges() > 0).toList();
        if (primaries.size() != 3 || primaries.stream().anyMatch(NodeLine::failed)) {
            return false;
        }
        for (NodeLine primary : primaries) {
            boolean syncedReplica = view.stream()
                    .filter(n -> n.flags().contains("slave") && !n.failed() && n.primaryId().equals(primary.id()))
                    .map(n -> server(n.port()))
                    .flatMap(Optional::stream)
                    .filter(RedisServer::isRunning)
                    .anyMatch(r -> r.cli("INFO", "replication").contains("master_link_status:up"));
            if (!syncedReplica) {
                return false;
            }
        }
        return true;
    }

    /**
     * Kills the first primary with SIGKILL, as a crash would, and waits until its replica has
     * taken over its slots and every remaining node sees the cluster as {@code ok}. The killed
     * node is left down; {@link #restartKilled()} brings it back as a replica.
     *
     * @return the killed node
     */
    public RedisServer killPrimaryAndAwaitFailover() {
        RedisServer victim = killPrimary();
        awaitFailoverFrom(victim);
        return victim;
    }

    /**
     * Waits until every primary's replicas have acknowledged all it was sent, so that killing a
     * primary loses nothing written before.
     */
    public void awaitReplicasCaughtUp() {
        Awaitility.await("replicas of " + seeds() + " caught up").atMost(READY_TIMEOUT).pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> primaries().stream().allMatch(RedisServer::replicasCaughtUp));
    }

    /**
     * Kills the first primary with SIGKILL, as a crash would, and returns at once, while its
     * slots have no primary; {@link #awaitFailoverFrom} waits for the replica to take over.
     *
     * @return the killed node
     */
    public RedisServer killPrimary() {
        RedisServer victim = primaries().get(0);
        nodeIds.put(victim, myId(victim));
        victim.kill();
        return victim;
    }

    /**
     * Waits until a replica has taken over the slots of {@code victim} (killed by
     * {@link #killPrimary()}) and every running node sees the cluster as {@code ok}.
     */
    public void awaitFailoverFrom(RedisServer victim) {
        String victimId = nodeIds.get(victim);
        if (victimId == null) {
            throw new IllegalArgumentException("victim must be a node killed by killPrimary() but was " + victim);
        }
        Awaitility.await("failover of " + victim.address()).atMost(READY_TIMEOUT).pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> {
                    for (RedisServer node : nodes) {
                        if (node.isRunning()) {
                            String info = node.cli("CLUSTER", "INFO");
                            if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + SLOTS)) {
                                return false;
                            }
                        }
                    }
                    return nodesView().stream().noneMatch(n -> n.id().equals(victimId) && n.slotRanges() > 0)
                            && primaries().size() == 3;
                });
    }

    /** The primary that serves {@code key}'s slot now. */
    public RedisServer primaryFor(String key) {
        int slot = Integer.parseInt(nodes.stream().filter(RedisServer::isRunning).findFirst().orElseThrow()
                .cli("CLUSTER", "KEYSLOT", key).trim());
        return nodesView().stream()
                .filter(n -> n.flags().contains("master") && !n.failed() && n.serves(slot))
                .map(n -> server(n.port()))
                .flatMap(Optional::stream)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no primary serves slot " + slot + " of " + key));
    }

    /** The running replica of {@code primary}. */
    public RedisServer replicaOf(RedisServer primary) {
        String id = myId(primary);
        return nodesView().stream()
                .filter(n -> n.flags().contains("slave") && !n.failed() && n.primaryId().equals(id))
                .map(n -> server(n.port()))
                .flatMap(Optional::stream)
                .filter(RedisServer::isRunning)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no running replica of " + primary));
    }

    /**
     * Makes {@code replica} take over its primary's slots at once, without the primary's agreement
     * and whatever it missed ({@code CLUSTER FAILOVER TAKEOVER}), and waits until it serves them and
     * every running node sees the cluster as {@code ok}. The old primary, if it runs, becomes a
     * replica of it.
     */
    public void takeOver(RedisServer replica) {
        String id = myId(replica);
        String reply = replica.cli("CLUSTER", "FAILOVER", "TAKEOVER");
        if (!reply.equals("OK")) {
            throw new IllegalStateException("CLUSTER FAILOVER TAKEOVER on " + replica + " answered " + reply);
        }
        Awaitility.await("takeover by " + replica.address()).atMost(READY_TIMEOUT).pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> nodesView().stream().anyMatch(n -> n.id().equals(id) && n.slotRanges() > 0)
                        && nodes.stream().filter(RedisServer::isRunning).allMatch(n -> {
                            String info = n.cli("CLUSTER", "INFO");
                            return info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:" + SLOTS);
                        }));
    }

    /**
     * Moves {@code slots} hash slots, with their keys, from one primary to another
     * ({@code redis-cli --cluster reshard}), while the cluster keeps serving, and waits until the
     * cluster is healthy again.
     *
     * @return the {@code redis-cli} output
     */
    public String moveSlots(int slots) {
        List<RedisServer> primaries = primaries();
        RedisServer from = primaries.get(0);
        RedisServer to = primaries.get(1);
        String out = from.cli("--cluster", "reshard", from.address(),
                "--cluster-from", myId(from), "--cluster-to", myId(to),
                "--cluster-slots", String.valueOf(slots), "--cluster-yes");
        if (out.contains("[ERR]")) {
            throw new IllegalStateException("redis-cli --cluster reshard failed:\n" + out);
        }
        awaitHealthy();
        return out;
    }

    /**
     * Heals replicas cut by {@link RedisServer#cutReplication()}, restarts every killed or stopped
     * node (they rejoin as replicas) and waits until the cluster is healthy.
     */
    public void restartKilled() {
        for (RedisServer node : nodes) {
            if (node.isRunning()) {
                node.healReplication();
            }
        }
        for (RedisServer node : nodes) {
            if (!node.isRunning()) {
                node.restart();
            }
        }
        awaitHealthy();
    }

    /** Removes every key from every primary (FLUSHALL), for isolation between test cases. */
    public void flushAll() {
        for (RedisServer primary : primaries()) {
            primary.flushAll();
        }
    }

    /** Kills every node and deletes their folders. */
    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private String myId(RedisServer node) {
        return node.cli("CLUSTER", "MYID").trim();
    }

    private Optional<RedisServer> server(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst();
    }

    private List<NodeLine> nodesView() {
        for (RedisServer node : nodes) {
            if (node.isRunning()) {
                String out = node.cli("CLUSTER", "NODES");
                return out.lines().filter(l -> !l.isBlank()).map(NodeLine::parse).toList();
            }
        }
        throw new IllegalStateException("no cluster node is running");
    }

    /** One line of CLUSTER NODES. */
    private record NodeLine(String id, int port, List<String> flags, String primaryId, List<String> ranges) {
        static NodeLine parse(String line) {
            String[] f = line.trim().split(" ");
            String address = f[1];
            int at = address.indexOf('@');
            String hostPort = at < 0 ? address : address.substring(0, at);
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            List<String> ranges = f.length > 8 ? List.of(f).subList(8, f.length) : List.of();
            return new NodeLine(f[0], port, List.of(f[2].split(",")), f[3], ranges);
        }

        int slotRanges() {
            return ranges.size();
        }

        /** Whether one of its ranges ({@code 5461-10922} or {@code 42}; not a migrating {@code [..]}) holds {@code slot}. */
        boolean serves(int slot) {
            for (String r : ranges) {
                if (r.startsWith("[")) {
                    continue;
                }
                int dash = r.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? r : r.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(r.substring(dash + 1));
                if (slot >= from && slot <= to) {
                    return true;
                }
            }
            return false;
        }

        boolean failed() {
            return flags.contains("fail") || flags.contains("fail?") || flags.contains("noaddr");
        }
    }

    @Override
    public String toString() {
        return "RedisClusterHarness{" + seeds() + ", " + access + "}";
    }
}
