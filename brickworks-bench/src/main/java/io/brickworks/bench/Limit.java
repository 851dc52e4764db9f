package io.brickworks.bench;

import io.brickworks.cache.tck.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine's limit: {@code redis-benchmark} GET and SET with 50 clients, 100-byte values and
 * 10,000 random keys, at a given pipeline depth, against the run's server.
 */
final class Limit {

    /** The clients redis-benchmark opens. */
    static final int CLIENTS = 50;

    private Limit() {
    }

    /** Requests per second of SET and GET (keys {@code SET}, {@code GET}) at {@code pipeline}. */
    static Map<String, Double> measure(int port, int pipeline, int requests) {
        List<String> cmd = new ArrayList<>(List.of(RedisServer.requireBinary("redis-benchmark"),
                "-h", RedisServer.HOST, "-p", String.valueOf(port),
                "-c", String.valueOf(CLIENTS), "-n", String.valueOf(requests), "-P", String.valueOf(pipeline),
                "-d", "100", "-r", String.valueOf(Keys.COUNT), "-t", "set,get", "--csv"));
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-benchmark did not finish: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("redis-benchmark exited with " + p.exitValue() + ": " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running redis-benchmark", e);
        }
        return parse(out);
    }

    /** Parses redis-benchmark's CSV: a header line, then {@code "SET","12345.67",...} per test. */
    static Map<String, Double> parse(String csv) {
        Map<String, Double> rps = new LinkedHashMap<>();
        for (String line : csv.split("\\R")) {
            String[] cells = line.split(",");
            if (cells.length < 2) {
                continue;
            }
            String test = unquote(cells[0]);
            if (test.equals("SET") || test.equals("GET")) {
                rps.put(test, Double.parseDouble(unquote(cells[1])));
            }
        }
        if (rps.size() != 2) {
            throw new IllegalStateException("no SET and GET rates in redis-benchmark's output: " + csv);
        }
        return rps;
    }

    private static String unquote(String cell) {
        String c = cell.trim();
        return c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1) : c;
    }
}
