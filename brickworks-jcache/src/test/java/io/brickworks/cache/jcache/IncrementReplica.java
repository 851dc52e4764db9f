package io.brickworks.cache.jcache;

import io.brickworks.cache.BrickworksCache;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;

/**
 * A replica in its own JVM for {@link EntryProcessorProcessesTest}: opens the provider on the Redis
 * given as {@code args[0]} (port), waits on the queue {@code go} until the test starts every replica at
 * once, then increments entry {@code n} of cache {@code counter} {@code args[1]} times with an entry
 * processor. With {@code args[2]} = {@code unlocked} it first turns the entry locks off (the planted bug).
 */
public final class IncrementReplica {

    /** The entry processor: adds one to the entry (absent counts as zero), returns the new value. */
    static final EntryProcessor<String, Long, Long> INCREMENT = (entry, arguments) -> {
        long next = (entry.exists() ? entry.getValue() : 0L) + 1;
        entry.setValue(next);
        return next;
    };

    private IncrementReplica() {
    }

    /** The properties of a cache manager on the Redis at {@code port}, with the near cache on. */
    static Properties redisProperties(int port) {
        Properties p = new Properties();
        p.setProperty("USE_REDIS", "1");
        p.setProperty("REDIS_HOST", "127.0.0.1");
        p.setProperty("REDIS_PORT", Integer.toString(port));
        p.setProperty("NEAR_CACHE", "1");
        return p;
    }

    static Cache<String, Long> counter(CacheManager manager) {
        Cache<String, Long> cache = manager.getCache("counter", String.class, Long.class);
        return cache != null ? cache : manager.createCache("counter",
                new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int times = Integer.parseInt(args[1]);
        if (args.length > 2 && args[2].equals("unlocked")) {
            EntryStore.lockMutations = false;
        }
        CacheManager manager = Caching.getCachingProvider().getCacheManager(URI.create("urn:brickworks:increment"),
                IncrementReplica.class.getClassLoader(), redisProperties(port));
        Cache<String, Long> cache = counter(manager);
        BrickworksCache library = manager.unwrap(BrickworksCache.class);
        System.out.println("ready");
        if (library.blocking().popFromQueue("go", Duration.ofSeconds(60)) == null) {
            System.out.println("no go");
            System.exit(2);
        }
        for (int i = 0; i < times; i++) {
            cache.invoke("n", INCREMENT);
        }
        System.out.println("done");
        manager.close();
        System.exit(0);
    }
}
