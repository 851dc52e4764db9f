package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault proxy in front of a real redis-server, spoken to over a plain socket: a silent cut in
 * each direction holds the bytes (no EOF, no reset, nothing lost, delivered after heal), a reset
 * reaches both sides, a delay delays. The probe that shows "nothing arrives" is the same that shows
 * "it arrives" on a healed proxy ({@link #theProbeSeesTrafficWhenNothingIsCut}, the negative control).
 */
class FaultProxyTest {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void theProbeSeesTrafficWhenNothingIsCut() throws IOException {
        try (FaultProxy proxy = FaultProxy.in(redis); Socket s = connect(proxy)) {
            send(s, "PING");
            assertThat(replyWithin(s, Duration.ofSeconds(5))).isEqualTo("+PONG\r\n");
            proxy.stop(FaultProxy.Direction.BOTH);
            proxy.heal();
            send(s, "PING");
            assertThat(replyWithin(s, Duration.ofSeconds(5))).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void aCutTowardsTheServerHoldsRequestsSilentlyUntilHealed() throws IOException {
        try (FaultProxy proxy = FaultProxy.in(redis); Socket s = connect(proxy)) {
            proxy.stop(FaultProxy.Direction.TO_SERVER);
            send(s, "SET proxy:up v");
            assertThat(replyWithin(s, Duration.ofMillis(300))).as("no reply, no EOF, no reset").isNull();
            assertThat(redis.cli("EXISTS", "proxy:up")).isEqualTo("0");
            proxy.heal();
            assertThat(replyWithin(s, Duration.ofSeconds(5))).isEqualTo("+OK\r\n");
            assertThat(redis.cli("GET", "proxy:up")).isEqualTo("v");
        }
    }

    @Test
    void aCutTowardsTheClientLetsRequestsThroughButHoldsReplies() throws IOException {
        try (FaultProxy proxy = FaultProxy.in(redis); Socket s = connect(proxy)) {
            proxy.stop(FaultProxy.Direction.TO_CLIENT);
            send(s, "SET proxy:down v");
            await().atMost(Duration.ofSeconds(5)).until(() -> "v".equals(redis.cli("GET", "proxy:down")));
            assertThat(replyWithin(s, Duration.ofMillis(300))).as("the reply is held").isNull();
            proxy.heal();
            assertThat(replyWithin(s, Duration.ofSeconds(5))).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void aCutInBothDirectionsAlsoCutsConnectionsOpenedDuringIt() throws IOException {
        try (FaultProxy proxy = FaultProxy.in(redis)) {
            proxy.stop(FaultProxy.Direction.BOTH);
            try (Socket s = connect(proxy)) {
                send(s, "PING");
                assertThat(replyWithin(s, Duration.ofMillis(300))).isNull();
                proxy.heal();
                assertThat(replyWithin(s, Duration.ofSeconds(5))).isEqualTo("+PONG\r\n");
            }
        }
    }

    @Test
    void resetClosesBothSidesWithAnRst() throws IOException {
        try (FaultProxy proxy = FaultProxy.in(redis); Socket s = connect(proxy)) {
            send(s, "CLIENT SETNAME proxied-reset");
            assertThat(replyWithin(s, Duration.ofSeconds(5))).isEqualTo("+OK\r\n");
            assertThat(redis.cli("CLIENT", "LIST")).contains("name=proxied-reset");
            proxy.reset();
            assertThatThrownBy(() -> {
                s.setSoTimeout(5_000);
                int read = s.getInputStream().read();
                if (read < 0) {
                    throw new AssertionError("an orderly EOF instead of a reset");
                }
            }).isInstanceOf(SocketException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> !redis.cli("CLIENT", "LIST").contains("name=proxied-reset"));
        }
    }

    @Test
    void anOrderlyCloseByTheServerReachesTheClientAsAnEofNotAReset() throws IOException {
        try (FaultProxy proxy = FaultProxy.in(redis); Socket s = connect(proxy)) {
            send(s, "QUIT");
            assertThat(replyWithin(s, Duration.ofSeconds(5))).isEqualTo("+OK\r\n");
            s.setSoTimeout(5_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void delayHoldsEveryChunkAtLeastThatLong() throws IOException {
        try (FaultProxy proxy = FaultProxy.in(redis); Socket s = connect(proxy)) {
            proxy.delay(Duration.ofMillis(200));
            long start = System.nanoTime();
            send(s, "PING");
            assertThat(replyWithin(s, Duration.ofSeconds(5))).isEqualTo("+PONG\r\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> FaultProxy.start("127.0.0.1", 0)).hasMessageContaining("targetPort").hasMessageContaining("0");
        try (FaultProxy proxy = FaultProxy.in(redis)) {
            assertThatThrownBy(() -> proxy.delay(Duration.ofMillis(-1))).hasMessageContaining("delay").hasMessageContaining("-0.001");
        }
    }

    private static Socket connect(FaultProxy proxy) throws IOException {
        return new Socket(proxy.host(), proxy.port());
    }

    private static void send(Socket s, String inline) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The bytes that arrive within {@code wait}, or null when none do; an EOF fails the test. */
    private static String replyWithin(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        InputStream in = s.getInputStream();
        byte[] buf = new byte[256];
        int n;
        try {
            n = in.read(buf);
        } catch (SocketTimeoutException e) {
            return null;
        }
        if (n < 0) {
            throw new AssertionError("the connection was closed (EOF)");
        }
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }
}
