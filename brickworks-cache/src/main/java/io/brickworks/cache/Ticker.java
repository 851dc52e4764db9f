package io.brickworks.cache;

/**
 * A source of time in nanoseconds, for the memory backend's expiry. Tests inject their own so
 * that expiry needs no sleeping; production uses {@link #system()}.
 */
@FunctionalInterface
public interface Ticker {

    /** The current time in nanoseconds, from an arbitrary but fixed origin; never decreases. */
    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
