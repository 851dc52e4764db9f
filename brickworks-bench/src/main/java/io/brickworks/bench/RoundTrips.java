package io.brickworks.bench;

import io.brickworks.cache.tck.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Counts what one action sends to Redis, with {@code MONITOR}: the commands that clients sent (round
 * trips, or pipelined commands) and, separately, the commands that server-side scripts ran. Two
 * {@code ECHO} markers from a connection of its own fence the action, so nothing before or after it
 * is counted. Only for a server that nothing else uses meanwhile.
 */
final class RoundTrips {

    /** What one action cost: commands from clients, and commands run inside scripts. */
    record Count(long clientCommands, long scriptCommands) {
    }

    private static final String START = "brickworks-bench-start";
    private static final String END = "brickworks-bench-end";

    private RoundTrips() {
    }

    /** Runs {@code action} and counts the commands it caused. */
    static Count count(int port, Runnable action) {
        try (Socket monitor = new Socket(RedisServer.HOST, port); Socket marker = new Socket(RedisServer.HOST, port)) {
            monitor.setSoTimeout(30_000);
            marker.setSoTimeout(30_000);
            BufferedReader monitorIn = reader(monitor);
            send(monitor, "MONITOR");
            expect(monitorIn, "+OK");
            BufferedReader markerIn = reader(marker);
            send(marker, "ECHO " + START);
            markerIn.readLine();
            markerIn.readLine();
            action.run();
            send(marker, "ECHO " + END);
            markerIn.readLine();
            markerIn.readLine();
            return tally(monitorIn);
        } catch (IOException e) {
            throw new IllegalStateException("cannot monitor the redis-server on port " + port, e);
        }
    }

    private static Count tally(BufferedReader monitorIn) throws IOException {
        boolean started = false;
        long client = 0;
        long script = 0;
        String line;
        while ((line = monitorIn.readLine()) != null) {
            if (line.contains(START)) {
                started = true;
            } else if (line.contains(END)) {
                return new Count(client, script);
            } else if (started) {
                // "+1700000000.123456 [0 127.0.0.1:51234] "get" "key"" or "[0 lua] ..." for a script's command
                if (line.contains(" lua] ")) {
                    script++;
                } else {
                    client++;
                }
            }
        }
        throw new IllegalStateException("MONITOR closed before the end marker");
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static void send(Socket socket, String inline) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void expect(BufferedReader in, String reply) throws IOException {
        String line = in.readLine();
        if (!reply.equals(line)) {
            throw new IllegalStateException("expected " + reply + ", got " + line);
        }
    }
}
