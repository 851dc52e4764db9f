package io.brickworks.cache.memory;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.spi.StoredNames;
import io.brickworks.cache.tck.AdminContract;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admin contract on the memory backend. There is no plain client for an in-process store, so
 * the original's writes are the SPI calls that the Redis commands correspond to.
 */
class MemoryAdminTest extends AdminContract {

    private final MemoryStore store = new MemoryStore();

    @Override
    protected CacheSettings.Builder settings() {
        return CacheSettings.builder();
    }

    @Override
    protected BrickworksCache build(CacheSettings settings, TenantResolver resolver) {
        return store.open(settings, resolver);
    }

    @Override
    protected void plain(String... command) {
        String key = command[1];
        List<String> rest = Arrays.asList(command).subList(2, command.length);
        switch (command[0]) {
            case "SET" -> await(backend().set(key, command[2].getBytes(StandardCharsets.UTF_8),
                    Long.parseLong(command[4]) * 1000, rest.contains("NX"), List.of()));
            case "RPUSH" -> rest.forEach(item -> await(backend().pushRight(key, item.getBytes(StandardCharsets.UTF_8))));
            case "SADD" -> await(backend().setAdd(key, rest, 600_000));
            default -> throw new IllegalArgumentException("not a command this test uses: " + command[0]);
        }
    }

    @Override
    protected void plainBytes(byte[] key) {
        await(backend().set(StoredNames.decode(key), "v".getBytes(StandardCharsets.UTF_8), 600_000, false, List.of()));
    }

    @Override
    protected long plainCount(String prefix) {
        AtomicLong n = new AtomicLong();
        await(backend().scan(prefix, 100, keys -> {
            n.addAndGet(keys.size());
            return CompletableFuture.completedFuture(null);
        }));
        return n.get();
    }
}
