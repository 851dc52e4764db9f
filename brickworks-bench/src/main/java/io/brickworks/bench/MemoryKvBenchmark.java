package io.brickworks.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * In-process get and set on 10,000 pre-filled keys, one and two threads: this library's memory
 * backend (through its public, scoped, async API) against Caffeine (plain; reading a field of the value
 * it returns, the floor of any cache that checks its entries; and with Caffeine's own per-entry expiry)
 * and {@code ConcurrentHashMap}; {@code brickworks-spi} is the same backend through its SPI (full keys,
 * bytes), the path the function cache and the locks take.
 */
public class MemoryKvBenchmark extends SyncKvBenchmark {

    @Param({"brickworks", "brickworks-spi", "caffeine", "caffeine-checked", "caffeine-expiring", "chm"})
    public String client;

    @Override
    protected SyncKv create() {
        return MemoryKv.create(client);
    }
}
