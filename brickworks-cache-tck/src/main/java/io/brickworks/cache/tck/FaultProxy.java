package io.brickworks.cache.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback between a client and a server (a redis-server of the harness), under the
 * test's control: the fault lab's network. The client connects to {@link #host()}:{@link #port()};
 * each accepted connection gets its own connection to the target and two pumps, one per direction.
 *
 * <ul>
 * <li>{@link #stop(Direction)}: a <b>silent cut</b>. The pumps of that direction stop moving bytes;
 *     no FIN, no RST, every socket stays open. Bytes sent meanwhile wait in the kernels' buffers and
 *     in the proxy (at most one read of 16 KiB per pump), and flow again after {@link #heal()}, as
 *     after a paused VM or a link that comes back. The proxy's kernel still acknowledges what it
 *     receives, so TCP keep-alive between the client and the proxy does not notice the cut: only an
 *     application-level heartbeat does, like behind a half-dead proxy or a NAT. Connections accepted
 *     during a cut are cut too.</li>
 * <li>{@link #delay(Duration)}: every chunk is written no sooner than that long after it was read.</li>
 * <li>{@link #reset()}: every open connection is closed with an RST (SO_LINGER 0) on both sides.</li>
 * <li>{@link #heal()}: forward both directions again, without delay.</li>
 * </ul>
 *
 * <p>Thread-safe; the control methods take effect for the next chunk of every open connection and
 * for every later one. Threads are daemons; {@link #close()} stops them and closes every socket.
 */
public final class FaultProxy implements AutoCloseable {

    /** A direction of the flow. */
    public enum Direction {
        /** From the client to the server (requests). */
        TO_SERVER,
        /** From the server to the client (replies, pushes). */
        TO_CLIENT,
        /** Both. */
        BOTH
    }

    private static final int CHUNK = 16 * 1024;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean toServerStopped;
    private volatile boolean toClientStopped;
    private volatile long delayNanos;
    private volatile boolean closed;
    private final AtomicLong accepted = new AtomicLong();

    private FaultProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A proxy forwarding to {@code targetHost:targetPort}, listening on an ephemeral loopback port.
     *
     * @throws IllegalArgumentException if {@code targetHost} is null or {@code targetPort} is not a port
     */
    public static FaultProxy start(String targetHost, int targetPort) {
        if (targetHost == null) {
            throw new IllegalArgumentException("targetHost must not be null");
        }
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort must be 1..65535 but was " + targetPort);
        }
        try {
            return new FaultProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    /** A proxy in front of {@code server}. */
    public static FaultProxy in(RedisServer server) {
        return start(server.host(), server.port());
    }

    /** The host clients connect to (loopback). */
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** How many client connections were accepted so far. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Stops forwarding in {@code direction} silently (sockets stay open, nothing is sent, nothing lost). */
    public void stop(Direction direction) {
        synchronized (gate) {
            if (direction != Direction.TO_CLIENT) {
                toServerStopped = true;
            }
            if (direction != Direction.TO_SERVER) {
                toClientStopped = true;
            }
        }
    }

    /**
     * Writes every chunk no sooner than {@code delay} after it was read (zero for none).
     *
     * @throws IllegalArgumentException if {@code delay} is null or negative
     */
    public void delay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or more but was " + delay);
        }
        delayNanos = delay.toNanos();
    }

    /** Closes every open connection with an RST, on the client's side and the server's. */
    public void reset() {
        for (Socket s : sockets) {
            abort(s);
        }
    }

    /** Forwards both directions again, without delay; what was held flows on. */
    public void heal() {
        synchronized (gate) {
            toServerStopped = false;
            toClientStopped = false;
            delayNanos = 0;
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            close(s);
        }
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            sockets.add(client);
            Thread opener = new Thread(() -> open(client), "fault-proxy-open-" + port());
            opener.setDaemon(true);
            opener.start();
        }
    }

    private void open(Socket client) {
        Socket server = new Socket();
        sockets.add(server);
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
        } catch (IOException e) {
            close(client);
            close(server);
            return;
        }
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
        pump(client, server, true, open);
        pump(server, client, false, open);
    }

    /** Moves bytes from {@code from} to {@code to}; the last of a pair's two pumps to end closes both sockets. */
    private void pump(Socket from, Socket to, boolean toServer, java.util.concurrent.atomic.AtomicInteger open) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try {
                // the streams are not closed here: closing one would close its socket for the other pump too
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long readAt = System.nanoTime();
                    awaitOpen(toServer);
                    long wait = readAt + delayNanos - System.nanoTime();
                    while (wait > 0 && !closed) {
                        LockSupport.parkNanos(wait);
                        wait = readAt + delayNanos - System.nanoTime();
                    }
                    if (closed) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                // an orderly close by one side is passed on as an orderly close
                to.shutdownOutput();
            } catch (IOException e) {
                // a reset or a close on either side: the other side is reset too
                abort(to);
                abort(from);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (open.decrementAndGet() == 0) {
                    close(from);
                    close(to);
                }
            }
        }, "fault-proxy-" + (toServer ? "up-" : "down-") + port());
        t.setDaemon(true);
        t.start();
    }

    private void awaitOpen(boolean toServer) throws InterruptedException {
        synchronized (gate) {
            while (!closed && (toServer ? toServerStopped : toClientStopped)) {
                gate.wait(TimeUnit.SECONDS.toMillis(1));
            }
        }
    }

    private void abort(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        close(s);
    }

    private void close(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return "FaultProxy{" + host() + ":" + port() + " -> " + targetHost + ":" + targetPort
                + (toServerStopped ? ", to-server stopped" : "") + (toClientStopped ? ", to-client stopped" : "")
                + (delayNanos > 0 ? ", delay " + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms" : "") + "}";
    }
}
