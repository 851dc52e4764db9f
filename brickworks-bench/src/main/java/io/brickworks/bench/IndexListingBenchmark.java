package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.SetOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/** Listing an index of 100 and of 10,000 keys on Redis with this library. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class IndexListingBenchmark {

    /** The name of the index every listing case writes. */
    public static final String INDEX = "bench-index";

    @Param({"100", "10000"})
    public int size;

    private BrickworksCache cache;
    private String namespace;

    @Setup(Level.Trial)
    public void open() {
        cache = Clients.brickworksRedis(BenchRedis.port());
        namespace = fill(cache, size);
    }

    /**
     * Writes {@code size} indexed keys into a namespace of their own (once per server) and returns
     * the namespace.
     */
    public static String fill(BrickworksCache cache, int size) {
        String namespace = "listing" + size;
        if (cache.listKeysByIndex(INDEX, namespace).join().size() == size) {
            return namespace;
        }
        SetOptions options = SetOptions.options().namespace(namespace).indices(INDEX);
        List<CompletableFuture<Boolean>> writes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            writes.add(cache.setKey(Keys.PLAIN[i], Keys.VALUE, options));
        }
        writes.forEach(CompletableFuture::join);
        return namespace;
    }

    @TearDown(Level.Trial)
    public void close() {
        cache.close();
    }

    @Benchmark
    public List<String> list() {
        List<String> keys = cache.listKeysByIndex(INDEX, namespace).join();
        if (keys.size() != size) {
            throw new IllegalStateException("listed " + keys.size() + " keys of " + size);
        }
        return keys;
    }
}
