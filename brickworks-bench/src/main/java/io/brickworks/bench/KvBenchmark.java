package io.brickworks.bench;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * The asynchronous key-value cases: GET and SET of the {@link Keys} through an {@link AsyncKv}
 * adapter that a subclass opens for each trial, with a window of {@link #inFlight()} calls.
 */
public abstract class KvBenchmark extends WindowedBenchmark {

    private AsyncKv kv;

    /** The adapter of this trial. */
    protected abstract AsyncKv openKv();

    @Override
    protected final void openClient() {
        kv = openKv();
    }

    @Override
    protected final void closeClient() {
        kv.close();
    }

    @Benchmark
    public void get(Keys.Cursor cursor) {
        awaitSlot();
        track(kv.get(cursor.next()));
    }

    @Benchmark
    public void set(Keys.Cursor cursor) {
        awaitSlot();
        track(kv.set(cursor.next(), Keys.VALUE));
    }
}
