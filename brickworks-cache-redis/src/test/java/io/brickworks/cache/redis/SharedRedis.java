package io.brickworks.cache.redis;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.RedisServer;

/**
 * One redis-server for the whole test JVM, started on first use and killed at exit; test classes
 * that share it flush it before each test.
 */
final class SharedRedis {

    private SharedRedis() {
    }

    private static final class Holder {
        static final RedisServer SERVER = start();

        private static RedisServer start() {
            RedisServer server = RedisServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shared-redis-stop"));
            return server;
        }
    }

    static RedisServer server() {
        return Holder.SERVER;
    }

    /** Settings for a cache on the shared server. */
    static CacheSettings.Builder settings() {
        return CacheSettings.builder().useRedis(true).redisHost(server().host()).redisPort(server().port());
    }

    /** A cache of its own (own connection) on the shared server, with the default settings. */
    static BrickworksCache openCache() {
        return BrickworksCache.builder().settings(settings().build()).build();
    }

    /** Removes every key of the shared server. */
    static void flush() {
        server().flushAll();
    }

    /** How many keys of {@code server} start with {@code prefix}, counted by redis-cli's {@code --scan}. */
    static long countKeys(RedisServer server, String prefix) {
        String keys = server.cli("--scan", "--pattern", prefix + "*");
        return keys.isEmpty() ? 0 : keys.split("\n").length;
    }

    /** How many keys the shared server holds (DBSIZE of database 0). */
    static long keyCount() {
        return Long.parseLong(server().cli("DBSIZE"));
    }
}
