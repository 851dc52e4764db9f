package io.brickworks.bench;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * A benchmark of asynchronous calls from one thread through a {@link Window} of {@link #inFlight()}
 * calls; every iteration ends when its calls have completed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public abstract class WindowedBenchmark {

    private Window window;

    /** How many calls may be in flight. */
    protected abstract int inFlight();

    /** Opens the client of this trial. */
    protected abstract void openClient();

    /** Closes the client of this trial. */
    protected abstract void closeClient();

    @Setup(Level.Trial)
    public void open() {
        openClient();
        window = new Window(inFlight());
    }

    @TearDown(Level.Iteration)
    public void drain() {
        window.drain();
    }

    @TearDown(Level.Trial)
    public void close() {
        closeClient();
    }

    /** Waits for a free slot; the benchmark method then issues its call and passes it to {@link #track}. */
    protected final void awaitSlot() {
        window.acquire();
    }

    /** Frees the slot when {@code call} completes. */
    protected final void track(CompletionStage<?> call) {
        window.track(call);
    }
}
