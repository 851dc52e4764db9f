package io.brickworks.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantScope;
import io.brickworks.cache.Tenants;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A tenant bound while multi-tenancy is off is reported once per cache (slf4j-simple writes to System.err). */
class IgnoredTenantWarningTest {

    private static String stderrOf(Runnable work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBoundTenantWithMultiTenancyOffIsWarnedAboutOnce() {
        try (BrickworksCache cache = BrickworksCache.builder().settings(CacheSettings.builder().build()).build()) {
            String unbound = stderrOf(() -> cache.setKey("k", "v").join());
            assertThat(unbound).doesNotContain("multi-tenancy is off");

            String log = stderrOf(() -> {
                try (TenantScope ignored = Tenants.bind("acme")) {
                    cache.setKey("k", "v").join();
                    cache.pushToQueue("q", "item").join();
                }
                try (TenantScope ignored = Tenants.bind("globex")) {
                    cache.setKey("k", "v").join();
                }
            });
            assertThat(log).contains("WARN").contains("tenant 'acme'").contains("master tenant 'public'")
                    .contains("forTenant('acme')");
            assertThat(log.split("multi-tenancy is off", -1)).as("one warning per cache").hasSize(2);
            assertThat(cache.getKey("k").join()).isEqualTo("v");
        }
    }

    @Test
    void multiTenancyOnIsNotWarnedAbout() {
        try (BrickworksCache cache = BrickworksCache.builder()
                .settings(CacheSettings.builder().multiTenancyEnabled(true).build()).build()) {
            String log = stderrOf(() -> {
                try (TenantScope ignored = Tenants.bind("acme")) {
                    cache.setKey("k", "v").join();
                }
            });
            assertThat(log).doesNotContain("multi-tenancy is off");
            assertThat(cache.forTenant("acme").getKey("k").join()).isEqualTo("v");
        }
    }

    @Test
    void aTenantNameCannotForgeALogLine() {
        try (BrickworksCache cache = BrickworksCache.builder().settings(CacheSettings.builder().build()).build()) {
            String log = stderrOf(() -> {
                try (TenantScope ignored = Tenants.bind("acme\nWARN forged line")) {
                    cache.setKey("k", "v").join();
                }
            });
            assertThat(log).contains("tenant 'acme\\u000aWARN forged line'").doesNotContain("acme\nWARN");
        }
    }
}
