package io.brickworks.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * In-process get and set on 10,000 pre-filled keys, one and two threads: this library's memory
 * backend (through its public, scoped, async API) against Caffeine (plain, and with a per-entry expiry
 * like the backend's) and {@code ConcurrentHashMap}; {@code brickworks-spi} is the same backend below the
 * API, to tell the API layer's cost from the backend's.
 */
public class MemoryKvBenchmark extends SyncKvBenchmark {

    @Param({"brickworks", "brickworks-spi", "caffeine", "caffeine-checked", "caffeine-expiring", "chm"})
    public String client;

    @Override
    protected SyncKv create() {
        return MemoryKv.create(client);
    }
}
