package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.AdminContract;
import java.util.OptionalLong;

/** The admin contract on one redis-server; the original's keys written with redis-cli. */
class RedisAdminTest extends AdminContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedRedis.settings();
    }

    @Override
    protected void clearStore() {
        SharedRedis.flush();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return OptionalLong.of(SharedRedis.keyCount());
    }

    @Override
    protected void plain(String... command) {
        SharedRedis.server().cli(command);
    }

    @Override
    protected long plainCount(String prefix) {
        return SharedRedis.countKeys(SharedRedis.server(), prefix);
    }
}
