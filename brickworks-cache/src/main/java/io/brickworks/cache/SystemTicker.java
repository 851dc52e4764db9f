package io.brickworks.cache;

/** {@link System#nanoTime()}, one instance, so that a store can tell it from an injected ticker. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
