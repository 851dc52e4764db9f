package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.tck.RedisServer;
import io.brickworks.spring.boot.web.HealthApplication;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Brickworks caches as Actuator sees them, in a whole application (every auto-configuration on
 * the test class path; embedded server on a random port) on a real redis-server:
 * {@code /actuator/caches} over real HTTP lists the configured caches before their first use and
 * clears one cache and all; Boot's own cache meters ({@code cache.gets{result=hit|miss}},
 * {@code cache.puts}, {@code cache.evictions}) count their calls, beside the library's meters.
 */
class ActuatorCachesTest {

    private static RedisServer redis;
    private static ConfigurableApplicationContext app;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingOn {
    }

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        app = new SpringApplicationBuilder(HealthApplication.class, CachingOn.class)
                .properties("server.port=0", "management.endpoints.web.exposure.include=caches",
                        "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                        "brickworks.cache.spring.caches.reports.expire=10m",
                        "brickworks.cache.spring.caches.prices.expire=1m",
                        "brickworks.cache.spring.caches.books.expire=1m")
                .run();
    }

    @AfterAll
    static void stop() {
        app.close();
        redis.close();
    }

    private static Cache cache(String name) {
        return app.getBean(CacheManager.class).getCache(name);
    }

    @Test
    void theCachesEndpointListsTheConfiguredCachesAndClearsThem() throws Exception {
        String base = "http://127.0.0.1:" + app.getBean(Environment.class).getProperty("local.server.port")
                + "/actuator/caches";
        HttpResponse<String> list = send("GET", base);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"reports\"").contains("\"prices\"");

        Cache reports = cache("reports");
        Cache prices = cache("prices");
        reports.put("r1", "report");
        prices.put("p1", "price");
        assertThat(send("DELETE", base + "/reports").statusCode()).isEqualTo(204);
        assertThat(reports.get("r1")).as("cleared").isNull();
        assertThat(prices.get("p1")).as("another cache stays").isNotNull();

        assertThat(send("DELETE", base).statusCode()).isEqualTo(204);
        assertThat(prices.get("p1")).as("all cleared").isNull();
    }

    @Test
    void bootsCacheMetersCountTheCallsBesideTheLibrarysMeters() {
        MeterRegistry registry = app.getBean(MeterRegistry.class);
        Cache books = cache("books");
        assertThat(books.get("b1")).isNull();
        books.put("b1", "title");
        assertThat(books.get("b1")).isNotNull();
        assertThat(books.putIfAbsent("b1", "other")).as("present: not a put").isNotNull();
        assertThat(books.get("b2", () -> "computed")).isEqualTo("computed");
        books.evict("b1");

        assertThat(count(registry, "cache.gets", "result", "hit")).isEqualTo(1.0);
        assertThat(count(registry, "cache.gets", "result", "miss")).isEqualTo(2.0);
        assertThat(count(registry, "cache.puts")).isEqualTo(1.0);
        assertThat(count(registry, "cache.evictions")).isEqualTo(1.0);
        assertThat(registry.find("brickworks.cache.gets").counters()).as("the library's meters beside them")
                .isNotEmpty();
    }

    /** Boot's cache meters of the cache "books": function counters, or gauges for the counts some binders use. */
    private static double count(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags("cache", "books").tags(tags).functionCounters().stream()
                .mapToDouble(FunctionCounter::count).sum()
                + registry.find(name).tags("cache", "books").tags(tags).gauges().stream().mapToDouble(g -> g.value()).sum();
    }

    private HttpResponse<String> send(String method, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
