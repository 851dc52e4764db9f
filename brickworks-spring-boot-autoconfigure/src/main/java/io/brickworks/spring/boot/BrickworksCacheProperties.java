package io.brickworks.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code brickworks.cache.*} properties. Every option of {@link io.brickworks.cache.CacheSettings}
 * has a property here. An option left unset falls back, in this order, to Boot's
 * {@code spring.data.redis.*} (Redis connection options only), then to the original's environment
 * variable ({@code USE_REDIS}, {@code REDIS_HOST}, ...), then to the library's default.
 */
@ConfigurationProperties(prefix = "brickworks.cache")
public class BrickworksCacheProperties {

    /** Whether the Brickworks auto-configuration is on. */
    private boolean enabled = true;

    /**
     * Whether the cache uses Redis (else the embedded memory backend). Unset: USE_REDIS, else true when
     * spring.data.redis.host, url, cluster.nodes or sentinel.nodes is set, else false.
     */
    private Boolean useRedis;

    /** Whether calls need a bound tenant (MULTI_TENANCY_ENABLED; default false). */
    private Boolean multiTenancyEnabled;

    /** Name of the master tenant (MASTER_DB_SCHEMA; default "public"). */
    private String masterTenant;

    /** First segment of every key (CACHE_KEY_PREFIX; default "brickworks"). */
    private String keyPrefix;

    /** Expiry of entries written without one (CACHE_DEFAULT_EXPIRE_SECONDS; default 7 days). */
    private Duration defaultExpire;

    /** Bound of the memory backend, least recently used evicted (MEMORY_CACHE_MAX_ENTRIES; default 100000). */
    private Long memoryMaximumEntries;

    /**
     * Largest stored function-cache value that is decoded; a larger one is a miss, deleted and counted
     * (FUNCTION_CACHE_MAX_VALUE_BYTES; default 16777216, 16 MiB).
     */
    private Integer functionCacheMaxValueBytes;

    public Integer getFunctionCacheMaxValueBytes() { return functionCacheMaxValueBytes; }
    public void setFunctionCacheMaxValueBytes(Integer functionCacheMaxValueBytes) {
        this.functionCacheMaxValueBytes = functionCacheMaxValueBytes;
    }

    private final Redis redis = new Redis();

    private final Spring spring = new Spring();

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Boolean getUseRedis() { return useRedis; }
    public void setUseRedis(Boolean useRedis) { this.useRedis = useRedis; }
    public Boolean getMultiTenancyEnabled() { return multiTenancyEnabled; }
    public void setMultiTenancyEnabled(Boolean multiTenancyEnabled) { this.multiTenancyEnabled = multiTenancyEnabled; }
    public String getMasterTenant() { return masterTenant; }
    public void setMasterTenant(String masterTenant) { this.masterTenant = masterTenant; }
    public String getKeyPrefix() { return keyPrefix; }
    public void setKeyPrefix(String keyPrefix) { this.keyPrefix = keyPrefix; }
    public Duration getDefaultExpire() { return defaultExpire; }
    public void setDefaultExpire(Duration defaultExpire) { this.defaultExpire = defaultExpire; }
    public Long getMemoryMaximumEntries() { return memoryMaximumEntries; }
    public void setMemoryMaximumEntries(Long memoryMaximumEntries) { this.memoryMaximumEntries = memoryMaximumEntries; }
    public Redis getRedis() { return redis; }
    public Spring getSpring() { return spring; }

    /** {@code brickworks.cache.redis.*}: overrides Boot's spring.data.redis.* and the REDIS_* variables. */
    public static class Redis {

        /** Standalone Redis host (else spring.data.redis.host, REDIS_HOST, "localhost"). */
        private String host;

        /** Standalone Redis port (else spring.data.redis.port, REDIS_PORT, 6379). */
        private Integer port;

        /** Database number (else spring.data.redis.database, REDIS_DB, 0). */
        private Integer database;

        /** ACL user name (else spring.data.redis.username, REDIS_USERNAME). */
        private String username;

        /** Password (else spring.data.redis.password, REDIS_PASSWORD). Never logged or shown. */
        private String password;

        /** Whether to use TLS (else spring.data.redis.ssl.enabled, REDIS_SSL, false). */
        private Boolean ssl;

        /** PEM file of CA certificates to trust (REDIS_SSL_CA_CERT; default the JDK trust store). */
        private Path sslCaCertificate;

        /** host:port seeds of a Redis Cluster (else spring.data.redis.cluster.nodes, REDIS_CLUSTER_NODES). */
        private List<String> clusterNodes = new ArrayList<>();

        /** host:port of the Sentinels (else spring.data.redis.sentinel.nodes, REDIS_SENTINELS). */
        private List<String> sentinels = new ArrayList<>();

        /** The primary's name at the Sentinels (else spring.data.redis.sentinel.master, REDIS_SENTINEL_MASTER, "mymaster"). */
        private String sentinelMaster;

        /** A command without an answer by then fails (else spring.data.redis.timeout, REDIS_COMMAND_TIMEOUT_MS, 5s). */
        private Duration commandTimeout;

        /**
         * Whether the application connects to Redis while starting and fails to start when it cannot
         * (true), or starts anyway, reports DOWN and fails cache calls until Redis answers (false).
         */
        private boolean connectAtStartup = true;

        /** {@code brickworks.cache.redis.near-cache.*}: the near cache over Redis (docs/near-cache.md). */
        private final NearCache nearCache = new NearCache();

        public NearCache getNearCache() { return nearCache; }

        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }
        public Integer getPort() { return port; }
        public void setPort(Integer port) { this.port = port; }
        public Integer getDatabase() { return database; }
        public void setDatabase(Integer database) { this.database = database; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public Boolean getSsl() { return ssl; }
        public void setSsl(Boolean ssl) { this.ssl = ssl; }
        public Path getSslCaCertificate() { return sslCaCertificate; }
        public void setSslCaCertificate(Path sslCaCertificate) { this.sslCaCertificate = sslCaCertificate; }
        public List<String> getClusterNodes() { return clusterNodes; }
        public void setClusterNodes(List<String> clusterNodes) { this.clusterNodes = clusterNodes; }
        public List<String> getSentinels() { return sentinels; }
        public void setSentinels(List<String> sentinels) { this.sentinels = sentinels; }
        public String getSentinelMaster() { return sentinelMaster; }
        public void setSentinelMaster(String sentinelMaster) { this.sentinelMaster = sentinelMaster; }
        public Duration getCommandTimeout() { return commandTimeout; }
        public void setCommandTimeout(Duration commandTimeout) { this.commandTimeout = commandTimeout; }
        public boolean isConnectAtStartup() { return connectAtStartup; }
        public void setConnectAtStartup(boolean connectAtStartup) { this.connectAtStartup = connectAtStartup; }
    }

    /** {@code brickworks.cache.redis.near-cache.*}: reads served in the process while Redis keeps them valid. */
    public static class NearCache {

        /** Whether the near cache is on, on one server, Sentinel or a cluster (NEAR_CACHE; default false). */
        private Boolean enabled;

        /** Namespaces it holds; FUNC_CACHE for function results (NEAR_CACHE_NAMESPACES; default all of them). */
        private List<String> namespaces = new ArrayList<>();

        /** Bound of the near cache in entries (NEAR_CACHE_MAX_ENTRIES; default 10000). */
        private Long maxEntries;

        /**
         * How long after a change in Redis the near cache may still serve the old value under any
         * connection fault (NEAR_CACHE_STALENESS_MS; default 2s, at least 100ms).
         */
        private Duration stalenessBound;

        public Boolean getEnabled() { return enabled; }
        public void setEnabled(Boolean enabled) { this.enabled = enabled; }
        public List<String> getNamespaces() { return namespaces; }
        public void setNamespaces(List<String> namespaces) { this.namespaces = namespaces; }
        public Long getMaxEntries() { return maxEntries; }
        public void setMaxEntries(Long maxEntries) { this.maxEntries = maxEntries; }
        public Duration getStalenessBound() { return stalenessBound; }
        public void setStalenessBound(Duration stalenessBound) { this.stalenessBound = stalenessBound; }
    }

    /** {@code brickworks.cache.spring.*}: the Spring {@code CacheManager}. */
    public static class Spring {

        /** Whether a Brickworks CacheManager is made when caching is enabled (@EnableCaching). */
        private boolean enabled = true;

        /**
         * Whether put, evict and clear inside a transaction happen after its commit (never on rollback);
         * putIfAbsent, evictIfPresent and invalidate act at once, as Spring's TransactionAwareCacheDecorator.
         */
        private boolean transactionAware = false;

        /**
         * Packages whose classes may be decoded from cached JSON, besides the JDK's value types; empty:
         * the application's packages (those of @SpringBootApplication / @AutoConfigurationPackage).
         */
        private List<String> allowedPackages = new ArrayList<>();

        /** Settings of caches not listed under caches.&lt;name&gt;. */
        private final CacheOptions defaults = new CacheOptions();

        /** Settings per cache name; caches not listed take the defaults, and are created on first use. */
        private Map<String, CacheOptions> caches = new LinkedHashMap<>();

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public boolean isTransactionAware() { return transactionAware; }
        public void setTransactionAware(boolean transactionAware) { this.transactionAware = transactionAware; }
        public List<String> getAllowedPackages() { return allowedPackages; }
        public void setAllowedPackages(List<String> allowedPackages) { this.allowedPackages = allowedPackages; }
        public CacheOptions getDefaults() { return defaults; }
        public Map<String, CacheOptions> getCaches() { return caches; }
        public void setCaches(Map<String, CacheOptions> caches) { this.caches = caches; }
    }

    /** The options of one Spring cache. */
    public static class CacheOptions {

        /** How long an entry stays (unset: the cache's default expiry). */
        private Duration expire;

        /** Whether entries are shared by all tenants (the master tenant) instead of kept per tenant. */
        private Boolean masterTenant;

        /** Whether null values are cached (Spring's allowNullValues); default true. */
        private Boolean cacheNulls;

        /**
         * The lease of the replica computing a missing entry for @Cacheable(sync = true), renewed while it
         * runs; others take over when it runs out after a crash (default 10s, at least 100ms).
         */
        private Duration computeLease;

        /**
         * The longest a @Cacheable(sync = true) caller waits for another replica's computation before
         * computing the value itself (default 30s).
         */
        private Duration maxWait;

        public Duration getExpire() { return expire; }
        public void setExpire(Duration expire) { this.expire = expire; }
        public Boolean getMasterTenant() { return masterTenant; }
        public void setMasterTenant(Boolean masterTenant) { this.masterTenant = masterTenant; }
        public Boolean getCacheNulls() { return cacheNulls; }
        public void setCacheNulls(Boolean cacheNulls) { this.cacheNulls = cacheNulls; }
        public Duration getComputeLease() { return computeLease; }
        public void setComputeLease(Duration computeLease) { this.computeLease = computeLease; }
        public Duration getMaxWait() { return maxWait; }
        public void setMaxWait(Duration maxWait) { this.maxWait = maxWait; }
    }
}
