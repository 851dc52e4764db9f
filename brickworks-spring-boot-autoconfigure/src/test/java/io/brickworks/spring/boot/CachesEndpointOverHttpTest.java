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
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Actuator's {@code /actuator/caches} over real HTTP (embedded server on a random port) on a real
 * redis-server: it lists the configured caches before their first use, and clears one cache and all.
 */
class CachesEndpointOverHttpTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingOn {
    }

    @Test
    void listsTheConfiguredCachesAndClearsThem() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ConfigurableApplicationContext app = new SpringApplicationBuilder(HealthApplication.class, CachingOn.class)
                     .properties("server.port=0", "management.endpoints.web.exposure.include=caches",
                             "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                             "brickworks.cache.spring.caches.reports.expire=10m",
                             "brickworks.cache.spring.caches.prices.expire=1m")
                     .run()) {
            String base = "http://127.0.0.1:" + app.getBean(Environment.class).getProperty("local.server.port")
                    + "/actuator/caches";
            HttpResponse<String> list = send("GET", base);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"reports\"").contains("\"prices\"");

            Cache reports = app.getBean(CacheManager.class).getCache("reports");
            Cache prices = app.getBean(CacheManager.class).getCache("prices");
            reports.put("r1", "report");
            prices.put("p1", "price");
            assertThat(send("DELETE", base + "/reports").statusCode()).isEqualTo(204);
            assertThat(reports.get("r1")).as("cleared").isNull();
            assertThat(prices.get("p1")).as("another cache stays").isNotNull();

            assertThat(send("DELETE", base).statusCode()).isEqualTo(204);
            assertThat(prices.get("p1")).as("all cleared").isNull();
        }
    }

    private HttpResponse<String> send(String method, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
