package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.KeyValueContract;
import java.util.OptionalLong;

/** The key-value contract over TLS, trusting the test CA given as a PEM file. */
class TlsKeyValueTest extends KeyValueContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedTopologies.tlsSettings(true);
    }

    @Override
    protected void clearStore() {
        SharedTopologies.tlsServer().flushAll();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return OptionalLong.of(Long.parseLong(SharedTopologies.tlsServer().cli("DBSIZE")));
    }
}
