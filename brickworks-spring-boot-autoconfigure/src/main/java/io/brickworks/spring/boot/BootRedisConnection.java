package io.brickworks.spring.boot;

import java.util.List;

/**
 * What an application's Redis connection-details bean (Boot's {@code DataRedisConnectionDetails} in
 * Boot 4, {@code RedisConnectionDetails} in Boot 3.5; for example from Testcontainers'
 * {@code @ServiceConnection}) says, in a form both Boot lines share. Null fields were not given.
 *
 * @param sentinelNodes {@code host:port} of the sentinels, empty if none
 * @param clusterNodes {@code host:port} of the cluster seeds, empty if none
 * @param ssl whether the details name an SSL bundle (its trust material is not used: see the README)
 */
record BootRedisConnection(String username, String password, String host, Integer port, Integer database,
                           String sentinelMaster, List<String> sentinelNodes, List<String> clusterNodes,
                           boolean ssl) {
}
