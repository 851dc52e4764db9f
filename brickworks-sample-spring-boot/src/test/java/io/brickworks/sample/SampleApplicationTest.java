package io.brickworks.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** The sample on its defaults (memory backend, H2) over HTTP on a random port. */
class SampleApplicationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void cachedReadsPostCommitEvictionAndHealth() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class)
                .properties("server.port=0").run()) {
            String base = "http://127.0.0.1:" + app.getBean(Environment.class).getProperty("local.server.port");

            assertThat(send(base + "/products/1", "GET").body()).contains("\"name\":\"Brick\"");
            assertThat(send(base + "/products/1", "GET").body()).contains("\"name\":\"Brick\"");
            assertThat(send(base + "/stats", "GET").body()).contains("\"databaseLoads\":1");

            assertThat(send(base + "/products/1?name=Red%20brick", "PUT").statusCode()).isEqualTo(204);
            assertThat(send(base + "/products/1", "GET").body()).as("evicted after the commit")
                    .contains("\"name\":\"Red brick\"");
            assertThat(send(base + "/stats", "GET").body()).contains("\"databaseLoads\":2");

            send(base + "/products/2", "GET");
            assertThat(send(base + "/products/2", "GET").body()).as("a cached BigDecimal keeps its scale")
                    .contains("\"price\":7.90");

            HttpResponse<String> health = send(base + "/actuator/health", "GET");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"brickworks\"").contains("\"backend\":\"memory\"");
        }
    }

    private HttpResponse<String> send(String url, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
