package io.brickworks.cache.tck;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} process that a test starts on a free loopback port and owns: it can
 * stop it, kill it with SIGKILL, and restart it on the same port. Tests never touch a server they
 * did not start.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     ... redis.port() ...
 * }
 * }</pre>
 *
 * <p>If {@code redis-server} is not on the PATH, {@link #start} fails with a message that says how
 * to install it; tests are never skipped silently.
 */
public final class RedisServer implements AutoCloseable {

    /** The loopback address every harness server binds to. */
    public static final String HOST = "127.0.0.1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final int port;
    private final List<String> extraArgs;
    private final Path dir;
    private final RedisAccess access;
    private final boolean sentinel;
    private Process process;
    /** The replica's {@code masteruser} and {@code masterauth} before {@link #cutReplication()}, or null. */
    private List<String> savedMasterAuth;

    private RedisServer(int port, List<String> extraArgs, Path dir, RedisAccess access, boolean sentinel) {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.dir = dir;
        this.access = access;
        this.sentinel = sentinel;
    }

    /** Starts a standalone server on a free loopback port, with nothing persisted to disk. */
    public static RedisServer start(String... extraArgs) {
        return startOnPort(freePort(), extraArgs);
    }

    /**
     * Starts a standalone server that appends every write to an AOF and syncs it before answering
     * ({@code appendonly yes}, {@code appendfsync always}), so that {@link #kill} then {@link #restart}
     * loses nothing acknowledged.
     */
    public static RedisServer startWithAof(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--appendonly", "yes", "--appendfsync", "always"));
        args.addAll(List.of(extraArgs));
        return start(args.toArray(String[]::new));
    }

    /** Starts a replica of {@code primary} (same access) and waits until its replication link is up. */
    public static RedisServer startReplicaOf(RedisServer primary, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--replicaof", HOST, String.valueOf(primary.port())));
        args.addAll(List.of(extraArgs));
        RedisServer replica = start(primary.access(), args.toArray(String[]::new));
        awaitCondition("replica " + replica.address() + " in sync with " + primary.address(),
                () -> replica.linkUp() && primary.replicasCaughtUp());
        return replica;
    }

    /** Starts a server on {@code port} with extra {@code redis-server} arguments ({@code --name value} pairs). */
    public static RedisServer startOnPort(int port, String... extraArgs) {
        return startOnPort(port, RedisAccess.PLAIN, extraArgs);
    }

    /**
     * Starts a server on a free loopback port that clients reach with {@code access} (TLS, an ACL
     * user), with extra {@code redis-server} arguments. If the port is taken by another process
     * between choosing and binding it, tries again on another port (up to five ports).
     */
    public static RedisServer start(RedisAccess access, String... extraArgs) {
        return startOnSomePort(RedisServer::freePort, access, extraArgs);
    }

    /**
     * Starts a server on a port that {@code ports} chooses, trying up to five ports when one turns
     * out to be taken by the time the server binds it.
     */
    static RedisServer startOnSomePort(java.util.function.IntSupplier ports, RedisAccess access, String... extraArgs) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return startOnPort(ports.getAsInt(), access, extraArgs);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Whether {@code port} can be bound on the loopback interface now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts a server on {@code port} that clients reach with {@code access}, with extra arguments. */
    public static RedisServer startOnPort(int port, RedisAccess access, String... extraArgs) {
        List<String> args = new ArrayList<>(access.serverArgs(port));
        args.addAll(List.of(extraArgs));
        return launchNew(port, access, false, args, null);
    }

    /**
     * Starts a Sentinel ({@code redis-server <config> --sentinel}) on {@code port}. The
     * {@code config} text is written to {@code sentinel.conf} in the server's folder, which
     * Sentinel rewrites as it learns the topology.
     */
    static RedisServer startSentinel(int port, RedisAccess access, String config) {
        RedisAccess sentinelAccess = access.withoutUser();
        return launchNew(port, sentinelAccess, true, sentinelAccess.serverArgs(port), config);
    }

    private static RedisServer launchNew(int port, RedisAccess access, boolean sentinel, List<String> args, String sentinelConfig) {
        String binary = requireBinary("redis-server");
        Path dir;
        try {
            dir = Files.createTempDirectory("brickworks-redis-" + port + "-");
            if (sentinel) {
                Files.writeString(dir.resolve("sentinel.conf"), sentinelConfig);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for redis-server", e);
        }
        RedisServer server = new RedisServer(port, args, dir, access, sentinel);
        server.launch(binary);
        return server;
    }

    /**
     * The path of {@code name} on the PATH.
     *
     * @throws IllegalStateException saying how to install Redis, when it is missing
     */
    public static String requireBinary(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, name);
                if (f.isFile() && f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        throw new IllegalStateException(name + " was not found on the PATH. The Redis tests start their own Redis "
                + "servers and need Redis 7 installed: on Debian or Ubuntu run 'apt-get install redis-server' "
                + "(or 'brew install redis' on macOS), then run the tests again.");
    }

    /** A port that was free on the loopback interface a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private void launch(String binary) {
        List<String> cmd = new ArrayList<>(List.of(binary));
        if (sentinel) {
            cmd.add(dir.resolve("sentinel.conf").toString());
            cmd.add("--sentinel");
        }
        cmd.addAll(List.of(
                "--port", String.valueOf(port),
                "--bind", HOST,
                "--save", "",
                "--appendonly", "no",
                "--enable-debug-command", "local",
                "--protected-mode", "no",
                "--daemonize", "no",
                "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + redacted(cmd), e);
        }
        awaitPing();
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with code "
                        + process.exitValue() + ": " + tail());
            }
            if (ping()) {
                return;
            }
            sleep(20);
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT.toSeconds() + " s: " + tail());
    }

    /** Whether the server answers PING now (when it requires a password, an auth error counts as an answer). */
    public boolean ping() {
        try (Socket s = access.isTls() ? access.tlsCertificates().sslContext().getSocketFactory().createSocket() : new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            if (n <= 0) {
                return false;
            }
            String reply = new String(buf, 0, n, StandardCharsets.US_ASCII);
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("stdout.log", "redis.log")) {
            Path p = dir.resolve(name);
            try {
                if (Files.exists(p)) {
                    List<String> lines = Files.readAllLines(p);
                    sb.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
                }
            } catch (IOException ignored) {
                // best effort only
            }
        }
        return sb.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** {@code host:port}. */
    public String address() {
        return HOST + ":" + port;
    }

    /** The folder the server runs in (its logs, and any files a test puts there). */
    public Path dir() {
        return dir;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** How clients reach this server (TLS, ACL user). */
    public RedisAccess access() {
        return access;
    }

    /** The process id, for tests that signal it. */
    public long pid() {
        return process.pid();
    }

    /** Stops the server gracefully (SIGTERM) and waits for it to exit. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    /** Kills the server with SIGKILL, as a crash would, and waits for it to exit. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on the same port with the same arguments, after {@link #stop} or {@link #kill}. */
    public void restart() {
        stop();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                launch(requireBinary("redis-server"));
                return;
            } catch (IllegalStateException e) {
                // the port may linger for a moment after the old process exits
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    // ------------------------------------------------------------------ faults (see docs/guarantees.md)

    /** Stops the process with SIGSTOP: it keeps its sockets but answers nothing until {@link #resume()}. */
    public void pause() {
        signal("STOP");
    }

    /** Continues a process stopped by {@link #pause()} (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name, e);
        }
    }

    /**
     * Blocks the server's main thread for {@code duration} ({@code DEBUG SLEEP}): like a long
     * command or a fork on a large data set, every client waits. Returns when the server answers again.
     */
    public void debugSleep(Duration duration) {
        String reply = cli("DEBUG", "SLEEP", String.valueOf(duration.toMillis() / 1000.0));
        if (!reply.equals("OK")) {
            throw new IllegalStateException("DEBUG SLEEP on " + address() + " answered " + reply);
        }
    }

    /**
     * Closes the server's connections of one kind ({@code CLIENT KILL TYPE normal|master|replica|pubsub});
     * {@code normal} includes the connections of this library's clients, {@code master} (on a
     * replica) its link to the primary, {@code replica} (on a primary) its links to the replicas.
     *
     * @return how many connections were closed
     */
    public int clientKill(String type) {
        String reply = cli("CLIENT", "KILL", "TYPE", type);
        try {
            return Integer.parseInt(reply);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("CLIENT KILL TYPE " + type + " on " + address() + " answered " + reply, e);
        }
    }

    /** Removes every key of the current database of redis-cli, database 0 ({@code FLUSHDB}). */
    public void flushDb() {
        expectOk("FLUSHDB");
    }

    /** Swaps two databases ({@code SWAPDB a b}): every key changes at once and no key is written. */
    public void swapDb(int a, int b) {
        expectOk("SWAPDB", String.valueOf(a), String.valueOf(b));
    }

    private void expectOk(String... command) {
        String reply = cli(command);
        if (!reply.equals("OK")) {
            throw new IllegalStateException(String.join(" ", command) + " on " + address() + " answered " + reply);
        }
    }

    /** Whether this server is a replica whose link to its primary is up. */
    public boolean linkUp() {
        return cli("INFO", "replication").contains("master_link_status:up");
    }

    /**
     * Makes this replica lag: it stays up and keeps serving reads, but receives nothing more from its
     * primary, which keeps serving writes. Its link is closed ({@code CLIENT KILL TYPE master}) and
     * every attempt to reconnect fails to log in (it presents a user that does not exist), so the
     * primary sees a replica that is disconnected, not one that is down: Sentinel and Cluster may
     * still promote it. {@link #healReplication()} undoes it. Returns once the link is down.
     */
    public void cutReplication() {
        if (savedMasterAuth == null) {
            savedMasterAuth = List.of(configGet("masteruser"), configGet("masterauth"));
        }
        expectOk("CONFIG", "SET", "masteruser", "brickworks-cut-link", "masterauth", "brickworks-cut-link");
        clientKill("master");
        awaitCondition("replication link of " + address() + " down",
                () -> cli("INFO", "replication").contains("master_link_status:down"));
    }

    /** Lets a replica cut by {@link #cutReplication()} log in to its primary again (it then resyncs). */
    public void healReplication() {
        if (savedMasterAuth != null) {
            expectOk("CONFIG", "SET", "masteruser", savedMasterAuth.get(0), "masterauth", savedMasterAuth.get(1));
            savedMasterAuth = null;
        }
    }

    /**
     * Turns this replica into a primary by hand ({@code REPLICAOF NO ONE}), as an operator or a
     * partitioned failover would, whatever its primary is doing: with the old primary still serving,
     * that is the split-brain case.
     */
    public void promote() {
        expectOk("REPLICAOF", "NO", "ONE");
        awaitCondition(address() + " a primary", () -> cli("INFO", "replication").contains("role:master"));
    }

    private String configGet(String name) {
        List<String> lines = cli("CONFIG", "GET", name).lines().toList();
        return lines.size() >= 2 ? lines.get(1) : "";
    }

    private static void awaitCondition(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(condition);
    }

    /**
     * Runs {@code redis-cli} against this server and returns its output (trimmed). For wire-format
     * checks with a plain client that is not the library under test.
     */
    public String cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(requireBinary("redis-cli"), "-h", HOST, "-p", String.valueOf(port)));
        cmd.addAll(access.cliArgs());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli timed out: " + redacted(cmd));
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + redacted(cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + redacted(cmd), e);
        }
    }

    /** The command line for messages, with every password ({@code --pass x}, {@code --masterauth x}, {@code >x}) hidden. */
    static String redacted(List<String> cmd) {
        List<String> shown = new ArrayList<>(cmd);
        for (int i = 0; i < shown.size(); i++) {
            String arg = shown.get(i);
            if ((arg.equals("--pass") || arg.equals("--masterauth")) && i + 1 < shown.size()) {
                shown.set(i + 1, "***");
            } else if (arg.startsWith(">")) {
                shown.set(i, ">***");
            }
        }
        return String.join(" ", shown);
    }

    /**
     * Whether this server is a primary whose every connected replica has acknowledged all of its
     * replication stream (each replica's offset equals the primary's {@code master_repl_offset}).
     * Tests wait for it before killing a primary, so that what was written before is not lost by
     * Redis's asynchronous replication.
     */
    public boolean replicasCaughtUp() {
        String info = cli("INFO", "replication");
        long primaryOffset = -1;
        int replicas = 0;
        List<Long> offsets = new ArrayList<>();
        for (String line : info.lines().map(String::trim).toList()) {
            if (line.startsWith("master_repl_offset:")) {
                primaryOffset = Long.parseLong(line.substring(line.indexOf(':') + 1));
            } else if (line.startsWith("connected_slaves:")) {
                replicas = Integer.parseInt(line.substring(line.indexOf(':') + 1));
            } else if (line.startsWith("slave") && line.contains("offset=")) {
                String rest = line.substring(line.indexOf("offset=") + "offset=".length());
                int comma = rest.indexOf(',');
                offsets.add(Long.parseLong(comma < 0 ? rest : rest.substring(0, comma)));
            }
        }
        long expected = primaryOffset;
        return info.contains("role:master") && replicas > 0 && offsets.size() == replicas
                && offsets.stream().allMatch(o -> o == expected);
    }

    /** Removes every key (FLUSHALL), for test isolation between cases. */
    public void flushAll() {
        String reply = cli("FLUSHALL");
        if (!reply.equals("OK")) {
            throw new IllegalStateException("FLUSHALL on " + address() + " answered " + reply);
        }
    }

    /** Kills the server and deletes its folder. */
    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort only
        }
    }

    @Override
    public String toString() {
        return "RedisServer{" + address() + (isRunning() ? "" : ", stopped") + "}";
    }
}
