package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.AdminContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The admin contract on one redis-server; the original's keys written with redis-cli. */
class RedisAdminTest extends AdminContract {

    private static final byte[] BAD_NAME = {'b', 'r', 'i', 'c', 'k', 'w', 'o', 'r', 'k', 's', ':', 'o', 'p', 's', ':',
        'r', 'a', 'w', ':', (byte) 0xff, (byte) 0xc3, 'x'};

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
    protected void plainBytes(byte[] key) {
        RedisClient client = RedisClient.create(RedisURI.create(SharedRedis.server().host(), SharedRedis.server().port()));
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            c.sync().setex(key, 600, new byte[] {'v'});
        } finally {
            client.shutdown();
        }
    }

    /** Walks and deletes the keys under {@code brickworks:ops:raw:} through {@code codec}; returns how many DEL removed. */
    private static long deleteWalked(StoredNameCodec codec) {
        RedisClient client = RedisClient.create(RedisURI.create(SharedRedis.server().host(), SharedRedis.server().port()));
        try (StatefulRedisConnection<String, byte[]> c = client.connect(codec)) {
            long deleted = 0;
            for (String key : c.sync().keys("brickworks:ops:raw:*")) {
                deleted += c.sync().del(key);
            }
            return deleted;
        } finally {
            client.shutdown();
        }
    }

    @Test
    void theConnectionsCodecDeletesANameThatIsNotUtf8() {
        plainBytes(BAD_NAME);

        assertThat(deleteWalked(StoredNameCodec.INSTANCE)).isEqualTo(1);
        assertThat(plainCount("brickworks:ops:raw:")).isZero();
    }

    /** Negative control: a plain UTF-8 codec reads the name with U+FFFD, and its DEL misses the key. */
    @Test
    void aPlainUtf8CodecMissesANameThatIsNotUtf8() {
        plainBytes(BAD_NAME);

        assertThat(deleteWalked(new StoredNameCodec(false))).isZero();
        assertThat(plainCount("brickworks:ops:raw:")).isEqualTo(1);
    }

    @Override
    protected long plainCount(String prefix) {
        return SharedRedis.countKeys(SharedRedis.server(), prefix);
    }
}
