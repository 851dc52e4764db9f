package io.brickworks.samples.boot;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.stereotype.Component;

/** Boot 4's connection-details bean (as Testcontainers' {@code @ServiceConnection} makes one). */
@Component
class SampleRedisDetails implements DataRedisConnectionDetails {

    private final String host;
    private final int port;

    SampleRedisDetails(@Value("${sample.redis.host}") String host, @Value("${sample.redis.port}") int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public Standalone getStandalone() {
        return Standalone.of(host, port);
    }
}
