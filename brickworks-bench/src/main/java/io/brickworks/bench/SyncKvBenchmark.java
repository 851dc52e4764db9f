package io.brickworks.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/** Get and set through a {@link SyncKv} from one and from two threads; subclasses name the clients. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class SyncKvBenchmark {

    private SyncKv kv;

    /** The client of this trial. */
    protected abstract SyncKv create();

    @Setup(Level.Trial)
    public void open() {
        kv = create();
    }

    @TearDown(Level.Trial)
    public void close() {
        kv.close();
    }

    @Benchmark
    @Threads(1)
    public Object get1Thread(Keys.Cursor cursor) {
        return kv.get(cursor.next());
    }

    @Benchmark
    @Threads(2)
    public Object get2Threads(Keys.Cursor cursor) {
        return kv.get(cursor.next());
    }

    @Benchmark
    @Threads(1)
    public void set1Thread(Keys.Cursor cursor) {
        kv.set(cursor.next(), Keys.VALUE);
    }

    @Benchmark
    @Threads(2)
    public void set2Threads(Keys.Cursor cursor) {
        kv.set(cursor.next(), Keys.VALUE);
    }
}
