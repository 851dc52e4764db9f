package io.brickworks.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.CacheSettings.HostAndPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Settings from the environment and the builder: every variable, bad values named, no password shown. */
class CacheSettingsTest {

    private static CacheSettings env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return CacheSettings.fromEnvironment(env);
    }

    @Test
    void defaultsAreTheOriginals() {
        CacheSettings s = env();
        assertThat(s.useRedis()).isFalse();
        assertThat(s.redisHost()).isEqualTo("localhost");
        assertThat(s.redisPort()).isEqualTo(6379);
        assertThat(s.redisDb()).isZero();
        assertThat(s.redisUsername()).isNull();
        assertThat(s.redisPassword()).isNull();
        assertThat(s.redisSsl()).isFalse();
        assertThat(s.redisSslCaCertificate()).isNull();
        assertThat(s.redisClusterNodes()).isEmpty();
        assertThat(s.redisSentinels()).isEmpty();
        assertThat(s.redisSentinelMaster()).isEqualTo("mymaster");
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.multiTenancyEnabled()).isFalse();
        assertThat(s.masterTenant()).isEqualTo("public");
        assertThat(s.keyPrefix()).isEqualTo("brickworks");
        assertThat(s.defaultExpire()).isEqualTo(Duration.ofDays(7));
        assertThat(s.memoryMaximumEntries()).isEqualTo(100_000L);
        assertThat(s.ticker()).isNotNull();
    }

    @Test
    void builderDefaultsEqualEnvironmentDefaults() {
        assertThat(CacheSettings.builder().build().toString()).isEqualTo(env().toString());
    }

    @Test
    void everyVariableIsRead() {
        CacheSettings s = env(
                "USE_REDIS", "1",
                "REDIS_HOST", "redis.internal",
                "REDIS_PORT", "6380",
                "REDIS_DB", "3",
                "REDIS_USERNAME", "app",
                "REDIS_PASSWORD", "s3cret",
                "REDIS_SSL", "1",
                "REDIS_SSL_CA_CERT", "/etc/ca.pem",
                "REDIS_SENTINELS", "s1:26379, s2:26380",
                "REDIS_SENTINEL_MASTER", "primary",
                "REDIS_COMMAND_TIMEOUT_MS", "1500",
                "MULTI_TENANCY_ENABLED", "1",
                "MASTER_DB_SCHEMA", "shared",
                "CACHE_KEY_PREFIX", "myapp",
                "CACHE_DEFAULT_EXPIRE_SECONDS", "3600",
                "MEMORY_CACHE_MAX_ENTRIES", "5000",
                "FUNCTION_CACHE_MAX_VALUE_BYTES", "4096");
        assertThat(s.useRedis()).isTrue();
        assertThat(s.redisHost()).isEqualTo("redis.internal");
        assertThat(s.redisPort()).isEqualTo(6380);
        assertThat(s.redisDb()).isEqualTo(3);
        assertThat(s.redisUsername()).isEqualTo("app");
        assertThat(s.redisPassword()).isEqualTo("s3cret");
        assertThat(s.functionCacheMaxValueBytes()).isEqualTo(4096);
        assertThat(s.redisSsl()).isTrue();
        assertThat(s.redisSslCaCertificate()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(s.redisSentinels()).containsExactly(new HostAndPort("s1", 26379), new HostAndPort("s2", 26380));
        assertThat(s.redisSentinelMaster()).isEqualTo("primary");
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.multiTenancyEnabled()).isTrue();
        assertThat(s.masterTenant()).isEqualTo("shared");
        assertThat(s.keyPrefix()).isEqualTo("myapp");
        assertThat(s.defaultExpire()).isEqualTo(Duration.ofHours(1));
        assertThat(s.memoryMaximumEntries()).isEqualTo(5000L);
    }

    @Test
    void clusterNodesAreRead() {
        CacheSettings s = env("REDIS_CLUSTER_NODES", "10.0.0.1:7000,10.0.0.2:7001,");
        assertThat(s.redisClusterNodes()).containsExactly(new HostAndPort("10.0.0.1", 7000), new HostAndPort("10.0.0.2", 7001));
        assertThat(s.redisAddress()).contains("cluster").contains("10.0.0.1:7000");
    }

    @ParameterizedTest
    @CsvSource({"1,true", "true,true", "YES,true", "on,true", "0,false", "false,false", "no,false", "Off,false"})
    void flagsAcceptTheUsualSpellings(String value, boolean expected) {
        assertThat(env("USE_REDIS", value).useRedis()).isEqualTo(expected);
        assertThat(env("REDIS_SSL", value).redisSsl()).isEqualTo(expected);
        assertThat(env("MULTI_TENANCY_ENABLED", value).multiTenancyEnabled()).isEqualTo(expected);
    }

    @Test
    void emptyOrBlankVariablesKeepTheDefaults() {
        CacheSettings s = env("USE_REDIS", "", "REDIS_PORT", "  ", "REDIS_PASSWORD", "");
        assertThat(s.useRedis()).isFalse();
        assertThat(s.redisPort()).isEqualTo(6379);
        assertThat(s.redisPassword()).isNull();
    }

    @Test
    void valuesAreTrimmed() {
        assertThat(env("REDIS_PORT", " 6390 ").redisPort()).isEqualTo(6390);
        assertThat(env("REDIS_HOST", " h ").redisHost()).isEqualTo("h");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "USE_REDIS|maybe",
            "REDIS_SSL|2",
            "MULTI_TENANCY_ENABLED|enabled",
            "REDIS_PORT|abc",
            "REDIS_PORT|70000",
            "REDIS_PORT|0",
            "REDIS_DB|-1",
            "REDIS_DB|zero",
            "REDIS_COMMAND_TIMEOUT_MS|0",
            "REDIS_COMMAND_TIMEOUT_MS|-5",
            "REDIS_COMMAND_TIMEOUT_MS|1.5",
            "MASTER_DB_SCHEMA|pub:lic",
            "CACHE_KEY_PREFIX|my:app",
            "CACHE_DEFAULT_EXPIRE_SECONDS|0",
            "CACHE_DEFAULT_EXPIRE_SECONDS|-60",
            "CACHE_DEFAULT_EXPIRE_SECONDS|week",
            "MEMORY_CACHE_MAX_ENTRIES|0",
            "MEMORY_CACHE_MAX_ENTRIES|many",
            "REDIS_CLUSTER_NODES|nodeA",
            "REDIS_CLUSTER_NODES|host:port",
            "REDIS_CLUSTER_NODES|' , '",
            "REDIS_SENTINELS|s1:99999",
            "REDIS_SENTINELS|:26379"})
    void badValuesAreRejectedNamingTheVariableAndTheValue(String variable, String value) {
        assertThatThrownBy(() -> env(variable, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(variable)
                .hasMessageContaining(value.trim().isEmpty() ? "" : value.trim());
    }

    @Test
    void conflictingSettingsAreRejectedNamingBoth() {
        assertThatThrownBy(() -> env("REDIS_CLUSTER_NODES", "a:1", "REDIS_SENTINELS", "b:2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redisClusterNodes").hasMessageContaining("redisSentinels");
        assertThatThrownBy(() -> env("REDIS_CLUSTER_NODES", "a:1", "REDIS_DB", "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redisDb").hasMessageContaining("2");
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        CacheSettings.Builder b = CacheSettings.builder();
        assertThatThrownBy(() -> b.redisHost(" ")).hasMessageContaining("redisHost");
        assertThatThrownBy(() -> b.redisPort(0)).hasMessageContaining("redisPort").hasMessageContaining("0");
        assertThatThrownBy(() -> b.redisDb(-2)).hasMessageContaining("redisDb").hasMessageContaining("-2");
        assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO)).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> b.commandTimeout(null)).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> b.masterTenant("")).hasMessageContaining("masterTenant");
        assertThatThrownBy(() -> b.keyPrefix(null)).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> b.defaultExpire(Duration.ofSeconds(-1))).hasMessageContaining("defaultExpire");
        assertThatThrownBy(() -> b.memoryMaximumEntries(0)).hasMessageContaining("memoryMaximumEntries");
        assertThatThrownBy(() -> b.redisSentinelMaster("")).hasMessageContaining("redisSentinelMaster");
        assertThatThrownBy(() -> new HostAndPort("h", 0)).hasMessageContaining("port");
    }

    @Test
    void toStringNeverShowsThePassword() {
        CacheSettings s = env("USE_REDIS", "1", "REDIS_PASSWORD", "hunter2-very-secret", "REDIS_USERNAME", "app");
        assertThat(s.toString()).doesNotContain("hunter2").contains("***").contains("app");
        assertThat(s.redisAddress()).doesNotContain("hunter2");
        assertThat(s.toBuilder().build().toString()).doesNotContain("hunter2");
        assertThat(env("REDIS_PASSWORD", "hunter2").toString()).doesNotContain("hunter2");
        assertThat(env("USE_REDIS", "1").toString()).contains("password=none");
    }

    @Test
    void aBadValueMessageNeverShowsThePassword() {
        assertThatThrownBy(() -> env("REDIS_PASSWORD", "hunter2", "REDIS_PORT", "x"))
                .message().doesNotContain("hunter2");
    }

    @Test
    void toBuilderCopiesEverySetting() {
        CacheSettings s = env("USE_REDIS", "1", "REDIS_HOST", "h", "REDIS_PORT", "1234", "REDIS_DB", "2",
                "REDIS_USERNAME", "u", "REDIS_PASSWORD", "p", "REDIS_SSL", "1", "REDIS_SENTINELS", "s:1",
                "REDIS_SENTINEL_MASTER", "m", "REDIS_COMMAND_TIMEOUT_MS", "77", "MULTI_TENANCY_ENABLED", "1",
                "MASTER_DB_SCHEMA", "t", "CACHE_KEY_PREFIX", "x", "CACHE_DEFAULT_EXPIRE_SECONDS", "9",
                "MEMORY_CACHE_MAX_ENTRIES", "8");
        CacheSettings copy = s.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(s.toString());
        assertThat(copy.redisPassword()).isEqualTo("p");
        assertThat(copy.redisSentinels()).isEqualTo(s.redisSentinels());
        assertThat(copy.ticker()).isSameAs(s.ticker());
    }

    @Test
    void listsGivenToTheBuilderAreCopied() {
        List<HostAndPort> nodes = new java.util.ArrayList<>(List.of(new HostAndPort("a", 1)));
        CacheSettings s = CacheSettings.builder().redisClusterNodes(nodes).build();
        nodes.add(new HostAndPort("b", 2));
        assertThat(s.redisClusterNodes()).hasSize(1);
        assertThatThrownBy(() -> s.redisClusterNodes().add(new HostAndPort("c", 3)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyUsernameAndPasswordMeanNone() {
        CacheSettings s = CacheSettings.builder().redisUsername("").redisPassword("").build();
        assertThat(s.redisUsername()).isNull();
        assertThat(s.redisPassword()).isNull();
    }

    @Test
    void thePasswordFromTheEnvironmentIsTakenVerbatim() {
        assertThat(env("REDIS_PASSWORD", "  with spaces\t ").redisPassword()).isEqualTo("  with spaces\t ");
        assertThat(env("REDIS_PASSWORD", " ").redisPassword()).isEqualTo(" ");
        assertThat(env("REDIS_HOST", " redis.internal ").redisHost()).as("other values are trimmed")
                .isEqualTo("redis.internal");
    }

    @Test
    void theFunctionValueLimitHasADefaultAndIsChecked() {
        assertThat(CacheSettings.builder().build().functionCacheMaxValueBytes()).isEqualTo(16 * 1024 * 1024);
        assertThatThrownBy(() -> env("FUNCTION_CACHE_MAX_VALUE_BYTES", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FUNCTION_CACHE_MAX_VALUE_BYTES");
    }

    @Test
    void theNearCacheIsOffByDefaultAndReadFromTheEnvironment() {
        CacheSettings defaults = CacheSettings.builder().build();
        assertThat(defaults.nearCache()).isFalse();
        assertThat(defaults.nearCacheNamespaces()).isEmpty();
        assertThat(defaults.nearCacheMaxEntries()).isEqualTo(10_000);
        CacheSettings s = env("NEAR_CACHE", "1", "NEAR_CACHE_NAMESPACES", "config, FUNC_CACHE", "NEAR_CACHE_MAX_ENTRIES", "500");
        assertThat(s.nearCache()).isTrue();
        assertThat(s.nearCacheNamespaces()).containsExactly("config", "FUNC_CACHE");
        assertThat(s.nearCacheMaxEntries()).isEqualTo(500);
        assertThat(s.toBuilder().build().nearCacheNamespaces()).containsExactly("config", "FUNC_CACHE");
        assertThatThrownBy(() -> env("NEAR_CACHE_MAX_ENTRIES", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NEAR_CACHE_MAX_ENTRIES");
        assertThatThrownBy(() -> env("NEAR_CACHE_NAMESPACES", "a:b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NEAR_CACHE_NAMESPACES");
        assertThat(env("NEAR_CACHE", "1", "REDIS_CLUSTER_NODES", "127.0.0.1:7000").nearCache()).isTrue();

        assertThat(defaults.nearCacheStalenessBound()).isEqualTo(Duration.ofSeconds(2));
        assertThat(env("NEAR_CACHE_STALENESS_MS", "750").nearCacheStalenessBound()).isEqualTo(Duration.ofMillis(750));
        assertThat(env("NEAR_CACHE_STALENESS_MS", "750").toBuilder().build().nearCacheStalenessBound())
                .isEqualTo(Duration.ofMillis(750));
        assertThatThrownBy(() -> env("NEAR_CACHE_STALENESS_MS", "99"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NEAR_CACHE_STALENESS_MS")
                .hasMessageContaining("99");
        assertThatThrownBy(() -> CacheSettings.builder().nearCacheStalenessBound(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nearCacheStalenessBound")
                .hasMessageContaining("-0.005");
    }

    @Test
    void aBadValueIsShownEscapedAndCut() {
        assertThatThrownBy(() -> env("REDIS_PORT", "1\r\nforged" + "9".repeat(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r", "\n").contains("\\u000d\\u000a")
                        .contains("(509 chars)"));
    }
}
