package io.brickworks.cache.jcache;

import io.brickworks.cache.tck.RedisServer;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * For the TCK run on Redis (system property {@code brickworks.jcache.tck.redis=true}, set by the
 * {@code tck-redis} surefire execution): starts a redis-server for the whole run and points the
 * provider's default cache manager at it through {@code brickworks.jcache.*} system properties.
 * In every other run it does nothing.
 */
public final class TckRedisSession implements LauncherSessionListener {

    private RedisServer redis;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!Boolean.getBoolean("brickworks.jcache.tck.redis")) {
            return;
        }
        redis = RedisServer.start();
        System.setProperty("brickworks.jcache.USE_REDIS", "1");
        System.setProperty("brickworks.jcache.REDIS_HOST", redis.host());
        System.setProperty("brickworks.jcache.REDIS_PORT", Integer.toString(redis.port()));
        System.setProperty("brickworks.jcache.NEAR_CACHE", "1");
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (redis != null) {
            redis.close();
        }
    }
}
