package io.brickworks.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.internal.Names;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A subcommand that connects to the store, does its work and prints a table (or JSON with
 * {@code --json}) on stdout; progress and errors go to stderr.
 */
abstract class CacheCommand implements Callable<Integer> {

    /** Made on first use: a table needs no JSON classes (start-up time). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress line on stderr during long walks.")
    boolean noProgress;

    @ParentCommand
    Brickworks root;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (BrickworksCache cache = connection.open(root.env())) {
            return run(cache);
        }
    }

    /** Does the work on a connected cache; returns the exit code. */
    abstract int run(BrickworksCache cache);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Waits for {@code f}; its failure reaches the execution exception handler. */
    static <T> T await(CompletableFuture<T> f) {
        return f.join();
    }

    /** JSON fields in the order given: name, value, name, value, ... */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    void printJson(Object value) {
        try {
            out().println(Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Prints {@code rows} under {@code headers}, each column as wide as its widest cell. Every cell is
     * {@linkplain Names#escape escaped}: a stored name with CR, LF, ESC, BEL or an OSC sequence prints as
     * visible text, never as a forged row, a colour or a window title (JSON prints names exactly).
     */
    void printTable(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>(rows.size() + 1);
        all.add(headers);
        for (List<String> row : rows) {
            all.add(root.escapeNames() ? row.stream().map(Names::escape).toList() : row);
        }
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out().println(line);
        }
    }

    /**
     * A progress line on stderr ({@code walked N keys}, rewritten in place), or nothing with
     * {@code --no-progress}; {@link #endProgress()} ends the line.
     */
    LongConsumer progress() {
        return noProgress ? n -> { } : n -> {
            err().print("\rwalked " + n + " keys");
            err().flush();
            progressShown = true;
        };
    }

    private volatile boolean progressShown;

    void endProgress() {
        if (progressShown) {
            err().println();
            err().flush();
        }
    }
}
