package io.brickworks.samples.boot;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.stereotype.Component;

/** Boot 3.5's connection-details bean (as Testcontainers' {@code @ServiceConnection} makes one). */
@Component
class SampleRedisDetails implements RedisConnectionDetails {

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
