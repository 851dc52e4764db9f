package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.tck.RedisServer;
import io.brickworks.spring.boot.web.HealthApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The health endpoint over real HTTP (embedded server on a random port) on a real redis-server: UP,
 * DOWN with the reason when the test stops its redis-server, UP again when it restarts it. The
 * details name the backend and its address and never the password, and give the near cache's
 * details (tracking, counters, heartbeat age against the bound set by its Boot property).
 */
class HealthEndpointOverHttpTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void upThenDownWhenRedisStopsThenUpWhenItRestarts() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", "p4ssw0rd-never-shown");
             ConfigurableApplicationContext app = new SpringApplicationBuilder(HealthApplication.class)
                     .properties("server.port=0", "management.endpoint.health.show-details=always",
                             "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                             "spring.data.redis.password=p4ssw0rd-never-shown", "spring.data.redis.timeout=1s",
                             "brickworks.cache.redis.near-cache.enabled=true",
                             "brickworks.cache.redis.near-cache.staleness-bound=1500ms")
                     .run()) {
            String url = "http://127.0.0.1:" + app.getBean(Environment.class).getProperty("local.server.port")
                    + "/actuator/health/brickworks";

            HttpResponse<String> up = get(url);
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).contains("\"status\":\"UP\"").contains("\"backend\":\"redis\"")
                    .contains(redis.host() + ":" + redis.port()).doesNotContain("p4ssw0rd");
            assertThat(up.body()).contains("\"nearCache\":{\"tracking\":true").contains("\"stalenessBoundMillis\":1500")
                    .contains("\"millisSinceHeartbeat\"").contains("\"flushes\"").contains("\"invalidations\"");

            redis.stop();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(url).statusCode() == 503);
            HttpResponse<String> down = get(url);
            assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("\"error\"")
                    .contains(redis.host() + ":" + redis.port()).doesNotContain("p4ssw0rd");

            redis.restart();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> get(url).statusCode() == 200);
            assertThat(get(url).body()).contains("\"status\":\"UP\"");
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
