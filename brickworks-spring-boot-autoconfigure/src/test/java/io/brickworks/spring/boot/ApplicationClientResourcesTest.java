package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.tck.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.event.connection.ConnectedEvent;
import io.lettuce.core.resource.ClientResources;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;

/**
 * With a Lettuce {@code ClientResources} bean in the context (Boot's Redis auto-configuration makes
 * one), the auto-configured Redis backend connects through it and never shuts it down.
 */
class ApplicationClientResourcesTest {

    @Test
    void theRedisBackendUsesTheApplicationsResourcesAndLeavesThemRunning() {
        ClientResources resources = ClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        List<Integer> connectedPorts = new CopyOnWriteArrayList<>();
        Disposable events = resources.eventBus().get().subscribe(e -> {
            if (e instanceof ConnectedEvent c && c.remoteAddress() instanceof InetSocketAddress a) {
                connectedPorts.add(a.getPort());
            }
        });
        try (RedisServer redis = RedisServer.start()) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(BrickworksCacheAutoConfiguration.class))
                    .withBean(ClientResources.class, () -> resources)
                    .withPropertyValues("brickworks.cache.use-redis=true", "brickworks.cache.redis.host=" + redis.host(),
                            "brickworks.cache.redis.port=" + redis.port())
                    .run(context -> {
                        BrickworksCache cache = context.getBean(BrickworksCache.class);
                        assertThat(cache.setKey("isbn-1", "Brick by brick").join()).isTrue();
                        assertThat(cache.getKey("isbn-1").join()).isEqualTo("Brick by brick");
                        assertThat(redis.cli("DBSIZE").trim()).isNotEqualTo("0");
                        await().atMost(Duration.ofSeconds(10)).until(() -> connectedPorts.contains(redis.port()));
                        cache.close();
                        assertThat(pingThrough(resources, redis)).isEqualTo("PONG");
                    });
            assertThat(resources.eventExecutorGroup().isShuttingDown()).isFalse();
            assertThat(pingThrough(resources, redis)).isEqualTo("PONG");
        } finally {
            events.dispose();
            resources.shutdown();
        }
    }

    @Test
    void onBootsRedisAutoConfigurationTheCacheUsesBootsResourcesAndBootShutsThemDownAfterTheCache() {
        Class<?> bootsRedis = BrickworksCacheAutoConfigurationTest.firstPresent(
                "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration");
        ClientResources[] boots = new ClientResources[1];
        try (RedisServer redis = RedisServer.start()) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(bootsRedis, BrickworksCacheAutoConfiguration.class))
                    .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port())
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasSingleBean(ClientResources.class);
                        BrickworksCache cache = context.getBean(BrickworksCache.class);
                        assertThat(cache.settings().useRedis()).isTrue();
                        assertThat(cache.setKey("isbn-2", "Mortar").join()).isTrue();
                        assertThat(cache.getKey("isbn-2").join()).isEqualTo("Mortar");
                        // the context closes the cache before the resources it depends on
                        assertThat(context.getBeanFactory().getDependenciesForBean("brickworksCache"))
                                .contains("lettuceClientResources");
                        boots[0] = context.getBean(ClientResources.class);
                    });
        }
        assertThat(boots[0].eventExecutorGroup().isShuttingDown()).as("Boot shut its resources down").isTrue();
    }

    /** A PING on a new connection of a plain Lettuce client on {@code resources}. */
    private static String pingThrough(ClientResources resources, RedisServer redis) {
        RedisClient client = RedisClient.create(resources, RedisURI.create(redis.host(), redis.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().ping();
        } finally {
            client.shutdown();
        }
    }
}
