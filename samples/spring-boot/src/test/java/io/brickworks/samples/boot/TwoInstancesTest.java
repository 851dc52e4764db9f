package io.brickworks.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.tck.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Two instances of the sample, built from the installed artifacts only, on one real redis-server
 * that only the connection-details bean names ({@code spring.data.redis.port} points nowhere):
 * health UP with its details over HTTP, and one computation of a cold {@code @Cacheable(sync = true)}
 * key for 20 concurrent requests spread over both instances.
 */
class TwoInstancesTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ConfigurableApplicationContext start(RedisServer redis) {
        return new SpringApplicationBuilder(SampleApplication.class).properties("server.port=0",
                "management.endpoint.health.show-details=always", "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=1", "sample.redis.host=" + redis.host(), "sample.redis.port=" + redis.port())
                .run();
    }

    private static String base(ConfigurableApplicationContext app) {
        return "http://127.0.0.1:" + app.getBean(Environment.class).getProperty("local.server.port");
    }

    @Test
    void healthUpWithDetailsAndOneComputationAcrossTwoInstances() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ConfigurableApplicationContext a = start(redis);
             ConfigurableApplicationContext b = start(redis)) {
            HttpResponse<String> health = get(base(a) + "/actuator/health/brickworks");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"backend\":\"redis\"")
                    .as("the connection-details bean's address, not spring.data.redis.port")
                    .contains(redis.host() + ":" + redis.port());

            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String url = base(i % 2 == 0 ? a : b) + "/quotes/BRK";
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.join().body()).isEqualTo("BRK=4.5");
            }
            int computations = Integer.parseInt(get(base(a) + "/computations").body())
                    + Integer.parseInt(get(base(b) + "/computations").body());
            assertThat(computations).as("computed once across both instances").isEqualTo(1);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
