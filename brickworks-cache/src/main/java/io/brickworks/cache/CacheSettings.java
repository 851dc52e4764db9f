package io.brickworks.cache;

import io.brickworks.cache.internal.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of a cache instance. Every environment variable that the cache reads has a
 * builder method, and every builder method that takes plain data has an environment variable:
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>Environment variable</th><th>Builder method</th><th>Default</th></tr>
 * <tr><td>{@code USE_REDIS}</td><td>{@link Builder#useRedis}</td><td>{@code 0} (memory)</td></tr>
 * <tr><td>{@code REDIS_HOST}</td><td>{@link Builder#redisHost}</td><td>{@code localhost}</td></tr>
 * <tr><td>{@code REDIS_PORT}</td><td>{@link Builder#redisPort}</td><td>{@code 6379}</td></tr>
 * <tr><td>{@code REDIS_DB}</td><td>{@link Builder#redisDb}</td><td>{@code 0}</td></tr>
 * <tr><td>{@code REDIS_USERNAME}</td><td>{@link Builder#redisUsername}</td><td>none</td></tr>
 * <tr><td>{@code REDIS_PASSWORD}</td><td>{@link Builder#redisPassword}</td><td>none</td></tr>
 * <tr><td>{@code REDIS_SSL}</td><td>{@link Builder#redisSsl}</td><td>{@code 0}</td></tr>
 * <tr><td>{@code REDIS_SSL_CA_CERT}</td><td>{@link Builder#redisSslCaCertificate}</td><td>the JDK's trust store</td></tr>
 * <tr><td>{@code REDIS_CLUSTER_NODES}</td><td>{@link Builder#redisClusterNodes}</td><td>none (not a cluster)</td></tr>
 * <tr><td>{@code REDIS_SENTINELS}</td><td>{@link Builder#redisSentinels}</td><td>none (no sentinel)</td></tr>
 * <tr><td>{@code REDIS_SENTINEL_MASTER}</td><td>{@link Builder#redisSentinelMaster}</td><td>{@code mymaster}</td></tr>
 * <tr><td>{@code REDIS_COMMAND_TIMEOUT_MS}</td><td>{@link Builder#commandTimeout}</td><td>{@code 5000}</td></tr>
 * <tr><td>{@code MULTI_TENANCY_ENABLED}</td><td>{@link Builder#multiTenancyEnabled}</td><td>{@code 0}</td></tr>
 * <tr><td>{@code MASTER_DB_SCHEMA}</td><td>{@link Builder#masterTenant}</td><td>{@code public}</td></tr>
 * <tr><td>{@code CACHE_KEY_PREFIX}</td><td>{@link Builder#keyPrefix}</td><td>{@code brickworks}</td></tr>
 * <tr><td>{@code CACHE_DEFAULT_EXPIRE_SECONDS}</td><td>{@link Builder#defaultExpire}</td><td>{@code 604800} (7 days)</td></tr>
 * <tr><td>{@code MEMORY_CACHE_MAX_ENTRIES}</td><td>{@link Builder#memoryMaximumEntries}</td><td>{@code 100000}</td></tr>
 * <tr><td>{@code FUNCTION_CACHE_MAX_VALUE_BYTES}</td><td>{@link Builder#functionCacheMaxValueBytes}</td><td>{@code 16777216} (16 MiB)</td></tr>
 * <tr><td>{@code NEAR_CACHE}</td><td>{@link Builder#nearCache}</td><td>{@code 0} (off)</td></tr>
 * <tr><td>{@code NEAR_CACHE_NAMESPACES}</td><td>{@link Builder#nearCacheNamespaces}</td><td>none (every namespace and the function cache)</td></tr>
 * <tr><td>{@code NEAR_CACHE_MAX_ENTRIES}</td><td>{@link Builder#nearCacheMaxEntries}</td><td>{@code 10000}</td></tr>
 * <tr><td>{@code NEAR_CACHE_STALENESS_MS}</td><td>{@link Builder#nearCacheStalenessBound}</td><td>{@code 2000}</td></tr>
 * </table>
 *
 * <p>Two settings are code only: the {@link Builder#ticker ticker} that the memory backend reads
 * time from (tests inject one), and, on {@link BrickworksCache.Builder}, the tenant resolver.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class CacheSettings {

    /** The default expiry of keys and function results: 7 days, as in the original. */
    public static final Duration DEFAULT_EXPIRE = Duration.ofDays(7);

    private final boolean useRedis;
    private final String redisHost;
    private final int redisPort;
    private final int redisDb;
    private final String redisUsername;
    private final String redisPassword;
    private final boolean redisSsl;
    private final Path redisSslCaCertificate;
    private final List<HostAndPort> redisClusterNodes;
    private final List<HostAndPort> redisSentinels;
    private final String redisSentinelMaster;
    private final Duration commandTimeout;
    private final boolean multiTenancyEnabled;
    private final String masterTenant;
    private final String keyPrefix;
    private final Duration defaultExpire;
    private final long memoryMaximumEntries;
    private final int functionCacheMaxValueBytes;
    private final boolean nearCache;
    private final List<String> nearCacheNamespaces;
    private final long nearCacheMaxEntries;
    private final Duration nearCacheStalenessBound;
    private final Ticker ticker;

    private CacheSettings(Builder b) {
        this.useRedis = b.useRedis;
        this.redisHost = b.redisHost;
        this.redisPort = b.redisPort;
        this.redisDb = b.redisDb;
        this.redisUsername = b.redisUsername;
        this.redisPassword = b.redisPassword;
        this.redisSsl = b.redisSsl;
        this.redisSslCaCertificate = b.redisSslCaCertificate;
        this.redisClusterNodes = List.copyOf(b.redisClusterNodes);
        this.redisSentinels = List.copyOf(b.redisSentinels);
        this.redisSentinelMaster = b.redisSentinelMaster;
        this.commandTimeout = b.commandTimeout;
        this.multiTenancyEnabled = b.multiTenancyEnabled;
        this.masterTenant = b.masterTenant;
        this.keyPrefix = b.keyPrefix;
        this.defaultExpire = b.defaultExpire;
        this.memoryMaximumEntries = b.memoryMaximumEntries;
        this.functionCacheMaxValueBytes = b.functionCacheMaxValueBytes;
        this.nearCache = b.nearCache;
        this.nearCacheNamespaces = List.copyOf(b.nearCacheNamespaces);
        this.nearCacheMaxEntries = b.nearCacheMaxEntries;
        this.nearCacheStalenessBound = b.nearCacheStalenessBound;
        this.ticker = b.ticker;
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings read from this process's environment variables. */
    public static CacheSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Settings read from {@code env}, a map of environment variables; unset or empty variables
     * keep their defaults.
     *
     * @throws IllegalArgumentException naming the variable and its value when one cannot be parsed
     */
    public static CacheSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        Builder b = builder();
        EnvReader r = new EnvReader(env);
        r.flag("USE_REDIS", b::useRedis);
        r.string("REDIS_HOST", b::redisHost);
        r.integer("REDIS_PORT", b::redisPort);
        r.integer("REDIS_DB", b::redisDb);
        r.string("REDIS_USERNAME", b::redisUsername);
        r.verbatim("REDIS_PASSWORD", b::redisPassword);
        r.flag("REDIS_SSL", b::redisSsl);
        r.string("REDIS_SSL_CA_CERT", v -> b.redisSslCaCertificate(Path.of(v)));
        r.string("REDIS_CLUSTER_NODES", v -> b.redisClusterNodes(HostAndPort.parseList("REDIS_CLUSTER_NODES", v)));
        r.string("REDIS_SENTINELS", v -> b.redisSentinels(HostAndPort.parseList("REDIS_SENTINELS", v)));
        r.string("REDIS_SENTINEL_MASTER", b::redisSentinelMaster);
        r.integer("REDIS_COMMAND_TIMEOUT_MS", v -> b.commandTimeout(Duration.ofMillis(v)));
        r.flag("MULTI_TENANCY_ENABLED", b::multiTenancyEnabled);
        r.string("MASTER_DB_SCHEMA", b::masterTenant);
        r.string("CACHE_KEY_PREFIX", b::keyPrefix);
        r.integer("CACHE_DEFAULT_EXPIRE_SECONDS", v -> b.defaultExpire(Duration.ofSeconds(v)));
        r.integer("MEMORY_CACHE_MAX_ENTRIES", v -> b.memoryMaximumEntries(v));
        r.integer("FUNCTION_CACHE_MAX_VALUE_BYTES", b::functionCacheMaxValueBytes);
        r.flag("NEAR_CACHE", b::nearCache);
        r.string("NEAR_CACHE_NAMESPACES", v -> b.nearCacheNamespaces(List.of(v.split("\\s*,\\s*"))));
        r.integer("NEAR_CACHE_MAX_ENTRIES", b::nearCacheMaxEntries);
        r.integer("NEAR_CACHE_STALENESS_MS", v -> b.nearCacheStalenessBound(Duration.ofMillis(v)));
        return b.build();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.useRedis = useRedis;
        b.redisHost = redisHost;
        b.redisPort = redisPort;
        b.redisDb = redisDb;
        b.redisUsername = redisUsername;
        b.redisPassword = redisPassword;
        b.redisSsl = redisSsl;
        b.redisSslCaCertificate = redisSslCaCertificate;
        b.redisClusterNodes = new ArrayList<>(redisClusterNodes);
        b.redisSentinels = new ArrayList<>(redisSentinels);
        b.redisSentinelMaster = redisSentinelMaster;
        b.commandTimeout = commandTimeout;
        b.multiTenancyEnabled = multiTenancyEnabled;
        b.masterTenant = masterTenant;
        b.keyPrefix = keyPrefix;
        b.defaultExpire = defaultExpire;
        b.memoryMaximumEntries = memoryMaximumEntries;
        b.functionCacheMaxValueBytes = functionCacheMaxValueBytes;
        b.nearCache = nearCache;
        b.nearCacheNamespaces = new ArrayList<>(nearCacheNamespaces);
        b.nearCacheMaxEntries = nearCacheMaxEntries;
        b.nearCacheStalenessBound = nearCacheStalenessBound;
        b.ticker = ticker;
        return b;
    }

    public boolean useRedis() { return useRedis; }
    public String redisHost() { return redisHost; }
    public int redisPort() { return redisPort; }
    public int redisDb() { return redisDb; }
    /** The ACL user name, or {@code null} for the default user. */
    public String redisUsername() { return redisUsername; }
    /** The password, or {@code null}. Never log it. */
    public String redisPassword() { return redisPassword; }
    public boolean redisSsl() { return redisSsl; }
    /** A PEM file of CA certificates to trust for TLS, or {@code null} for the JDK's trust store. */
    public Path redisSslCaCertificate() { return redisSslCaCertificate; }
    /** Seed nodes of a Redis Cluster; empty when not a cluster. */
    public List<HostAndPort> redisClusterNodes() { return redisClusterNodes; }
    /** Sentinels to ask for the primary; empty when not using Sentinel. */
    public List<HostAndPort> redisSentinels() { return redisSentinels; }
    public String redisSentinelMaster() { return redisSentinelMaster; }
    public Duration commandTimeout() { return commandTimeout; }
    public boolean multiTenancyEnabled() { return multiTenancyEnabled; }
    /** The name of the master (global) tenant, {@code public} by default. */
    public String masterTenant() { return masterTenant; }
    public String keyPrefix() { return keyPrefix; }
    public Duration defaultExpire() { return defaultExpire; }
    public long memoryMaximumEntries() { return memoryMaximumEntries; }
    /**
     * The largest stored function-cache value, in bytes, that is decoded; a larger one is treated as
     * a miss: deleted, counted as a decode failure, and recomputed.
     */
    public int functionCacheMaxValueBytes() { return functionCacheMaxValueBytes; }
    /** Whether the Redis backend keeps a near cache of what it reads (see {@link Builder#nearCache}). */
    public boolean nearCache() { return nearCache; }
    /** The namespaces the near cache holds; empty for every namespace and the function cache. */
    public List<String> nearCacheNamespaces() { return nearCacheNamespaces; }
    /** The most entries the near cache keeps. */
    public long nearCacheMaxEntries() { return nearCacheMaxEntries; }
    /** How long after a change in Redis the near cache may still serve the old value, whatever the fault (see {@link Builder#nearCacheStalenessBound}). */
    public Duration nearCacheStalenessBound() { return nearCacheStalenessBound; }
    public Ticker ticker() { return ticker; }

    /** The Redis address for messages: host and port, or the cluster seeds or sentinels. Never the password. */
    public String redisAddress() {
        if (!redisClusterNodes.isEmpty()) {
            return "cluster " + redisClusterNodes;
        }
        if (!redisSentinels.isEmpty()) {
            return "sentinel master '" + redisSentinelMaster + "' via " + redisSentinels;
        }
        return redisHost + ":" + redisPort + "/" + redisDb;
    }

    @Override
    public String toString() {
        return "CacheSettings{backend=" + (useRedis ? "redis " + redisAddress() : "memory")
                + (useRedis ? ", ssl=" + redisSsl + ", user=" + (redisUsername == null ? "default" : redisUsername)
                + ", password=" + (redisPassword == null ? "none" : "***") : "")
                + ", commandTimeout=" + commandTimeout.toMillis() + "ms"
                + ", multiTenancy=" + multiTenancyEnabled + ", masterTenant=" + masterTenant
                + ", keyPrefix=" + keyPrefix + ", defaultExpire=" + defaultExpire.toSeconds() + "s"
                + ", memoryMaximumEntries=" + memoryMaximumEntries
                + ", functionCacheMaxValueBytes=" + functionCacheMaxValueBytes
                + ", nearCache=" + nearCache + (nearCache ? ", nearCacheNamespaces=" + nearCacheNamespaces
                + ", nearCacheMaxEntries=" + nearCacheMaxEntries
                + ", nearCacheStalenessBound=" + nearCacheStalenessBound.toMillis() + "ms" : "") + "}";
    }

    /** A Redis host and port. */
    public record HostAndPort(String host, int port) {
        public HostAndPort {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be empty but was " + Names.show(host));
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535 but was " + port);
            }
        }

        /** Parses {@code host:port}. */
        public static HostAndPort parse(String what, String text) {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw new IllegalArgumentException(what + " must be host:port but was " + Names.show(text));
            }
            try {
                return new HostAndPort(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " must be host:port but was " + Names.show(text), e);
            }
        }

        /** Parses a comma-separated list of {@code host:port}. */
        public static List<HostAndPort> parseList(String what, String text) {
            List<HostAndPort> out = new ArrayList<>();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    out.add(parse(what, part));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(what + " must list host:port pairs but was " + Names.show(text));
            }
            return out;
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Builds {@link CacheSettings}; every setter validates its argument at once. Not thread-safe. */
    public static final class Builder {
        private boolean useRedis;
        private String redisHost = "localhost";
        private int redisPort = 6379;
        private int redisDb;
        private String redisUsername;
        private String redisPassword;
        private boolean redisSsl;
        private Path redisSslCaCertificate;
        private List<HostAndPort> redisClusterNodes = new ArrayList<>();
        private List<HostAndPort> redisSentinels = new ArrayList<>();
        private String redisSentinelMaster = "mymaster";
        private Duration commandTimeout = Duration.ofSeconds(5);
        private boolean multiTenancyEnabled;
        private String masterTenant = "public";
        private String keyPrefix = "brickworks";
        private Duration defaultExpire = DEFAULT_EXPIRE;
        private long memoryMaximumEntries = 100_000;
        private int functionCacheMaxValueBytes = 16 * 1024 * 1024;
        private boolean nearCache;
        private List<String> nearCacheNamespaces = new ArrayList<>();
        private long nearCacheMaxEntries = 10_000;
        private Duration nearCacheStalenessBound = Duration.ofSeconds(2);
        private Ticker ticker = Ticker.system();

        private Builder() {
        }

        /** Use Redis ({@code true}) or the embedded memory backend ({@code false}, the default). */
        public Builder useRedis(boolean useRedis) {
            this.useRedis = useRedis;
            return this;
        }

        public Builder redisHost(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("redisHost must not be empty but was " + Names.show(host));
            }
            this.redisHost = host;
            return this;
        }

        public Builder redisPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("redisPort must be in 1..65535 but was " + port);
            }
            this.redisPort = port;
            return this;
        }

        public Builder redisDb(int db) {
            if (db < 0) {
                throw new IllegalArgumentException("redisDb must be 0 or more but was " + db);
            }
            this.redisDb = db;
            return this;
        }

        /** The ACL user; {@code null} or empty for the default user. */
        public Builder redisUsername(String username) {
            this.redisUsername = username == null || username.isEmpty() ? null : username;
            return this;
        }

        /** The password; {@code null} or empty for none. */
        public Builder redisPassword(String password) {
            this.redisPassword = password == null || password.isEmpty() ? null : password;
            return this;
        }

        public Builder redisSsl(boolean ssl) {
            this.redisSsl = ssl;
            return this;
        }

        /** A PEM file with the CA certificates to trust for TLS; {@code null} for the JDK default. */
        public Builder redisSslCaCertificate(Path pemFile) {
            this.redisSslCaCertificate = pemFile;
            return this;
        }

        /** Seed nodes of a Redis Cluster; an empty list means not a cluster. */
        public Builder redisClusterNodes(List<HostAndPort> nodes) {
            this.redisClusterNodes = new ArrayList<>(Objects.requireNonNull(nodes, "redisClusterNodes"));
            return this;
        }

        /** Sentinels to ask for the primary; an empty list means no Sentinel. */
        public Builder redisSentinels(List<HostAndPort> sentinels) {
            this.redisSentinels = new ArrayList<>(Objects.requireNonNull(sentinels, "redisSentinels"));
            return this;
        }

        public Builder redisSentinelMaster(String master) {
            if (master == null || master.isBlank()) {
                throw new IllegalArgumentException("redisSentinelMaster must not be empty but was " + Names.show(master));
            }
            this.redisSentinelMaster = master;
            return this;
        }

        /** How long a Redis command may take before it fails with a {@code CacheBackendException}. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Names.checkExpire("commandTimeout", timeout);
            return this;
        }

        /**
         * With multi-tenancy on, an operation without a bound tenant fails instead of falling back
         * to the master tenant. Off by default: then the current tenant is the master tenant.
         */
        public Builder multiTenancyEnabled(boolean enabled) {
            this.multiTenancyEnabled = enabled;
            return this;
        }

        /** The name of the master tenant, {@code public} by default. */
        public Builder masterTenant(String name) {
            Names.check("masterTenant", name);
            this.masterTenant = name;
            return this;
        }

        /** The first segment of every key, {@code brickworks} by default. */
        public Builder keyPrefix(String prefix) {
            Names.check("keyPrefix", prefix);
            this.keyPrefix = prefix;
            return this;
        }

        /** The expiry used when a call gives none: 7 days by default. */
        public Builder defaultExpire(Duration expire) {
            this.defaultExpire = Names.checkExpire("defaultExpire", expire);
            return this;
        }

        /** The most entries the memory backend keeps before evicting the least recently used. */
        public Builder memoryMaximumEntries(long maximum) {
            if (maximum < 1) {
                throw new IllegalArgumentException("memoryMaximumEntries must be at least 1 but was " + maximum);
            }
            this.memoryMaximumEntries = maximum;
            return this;
        }

        /**
         * The largest stored function-cache value, in bytes, that is decoded (16 MiB by default): a
         * larger one is never decoded (a value written by anyone with access to the store cannot force
         * a huge allocation); it is treated as a miss, deleted, counted as a decode failure, and the
         * function computes the value again.
         */
        public Builder functionCacheMaxValueBytes(int maximum) {
            if (maximum < 1) {
                throw new IllegalArgumentException("functionCacheMaxValueBytes must be at least 1 but was " + maximum);
            }
            this.functionCacheMaxValueBytes = maximum;
            return this;
        }

        /**
         * Keeps a near cache in this process of the values that the Redis backend reads
         * ({@code getKey}, {@code getKeyBytes}, function-cache hits), bounded by
         * {@link #nearCacheMaxEntries} and kept valid by Redis itself (client-side caching with
         * {@code CLIENT TRACKING}): any client's write, delete or expiry of a key that this process
         * holds removes it here. Off by default; needs Redis 6 or later; on a cluster, one tracking connection per primary; no
         * effect on the memory backend, which is in-process already. See {@code docs/near-cache.md}
         * for how stale a read can be.
         */
        public Builder nearCache(boolean enabled) {
            this.nearCache = enabled;
            return this;
        }

        /**
         * The namespaces that the near cache holds (default: none listed, which means every
         * namespace and the function cache); list {@code FUNC_CACHE} to include the function cache.
         */
        public Builder nearCacheNamespaces(List<String> namespaces) {
            List<String> checked = new ArrayList<>();
            for (String namespace : Objects.requireNonNull(namespaces, "nearCacheNamespaces")) {
                checked.add(Names.check("nearCacheNamespaces", namespace));
            }
            this.nearCacheNamespaces = checked;
            return this;
        }

        /** The most entries the near cache keeps before evicting (10,000 by default). */
        public Builder nearCacheMaxEntries(long maximum) {
            if (maximum < 1) {
                throw new IllegalArgumentException("nearCacheMaxEntries must be at least 1 but was " + maximum);
            }
            this.nearCacheMaxEntries = maximum;
            return this;
        }

        /**
         * The near cache's staleness bound under connection faults (2 s by default, at least
         * 100 ms): the process stops serving from its near cache when it cannot show, within this
         * long, that it still receives every invalidation (a heartbeat on the tracking connection every
         * quarter of the bound, each answer proving that every invalidation sent before it has
         * arrived). A silent network cut, a paused or unreachable Redis, or a {@code SWAPDB} thus
         * stops the serving of old values at most this long after the change in Redis (plus the
         * time this process itself is paused). See {@code docs/near-cache.md}.
         */
        public Builder nearCacheStalenessBound(Duration bound) {
            Names.checkExpire("nearCacheStalenessBound", bound);
            if (bound.toMillis() < 100) {
                throw new IllegalArgumentException("nearCacheStalenessBound must be at least 100 ms but was " + bound);
            }
            this.nearCacheStalenessBound = bound;
            return this;
        }

        /** The time source of the memory backend (code only; tests inject one). */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException when settings conflict, naming them
         */
        public CacheSettings build() {
            if (!redisClusterNodes.isEmpty() && !redisSentinels.isEmpty()) {
                throw new IllegalArgumentException("redisClusterNodes and redisSentinels cannot both be set: "
                        + redisClusterNodes + " and " + redisSentinels);
            }
            if (!redisClusterNodes.isEmpty() && redisDb != 0) {
                throw new IllegalArgumentException("redisDb must be 0 with redisClusterNodes (a cluster has one database) but was "
                        + redisDb);
            }
            return new CacheSettings(this);
        }
    }

    private static final class EnvReader {
        private final Map<String, String> env;

        EnvReader(Map<String, String> env) {
            this.env = env;
        }

        private String value(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        void string(String name, java.util.function.Consumer<String> sink) {
            String v = value(name);
            if (v != null) {
                try {
                    sink.accept(v);
                } catch (IllegalArgumentException e) {
                    throw rejected(name, v, e);
                }
            }
        }

        /** Like {@link #string} but takes the value as it is, spaces included (a password). */
        void verbatim(String name, java.util.function.Consumer<String> sink) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                try {
                    sink.accept(v);
                } catch (IllegalArgumentException e) {
                    throw rejected(name, v, e);
                }
            }
        }

        void integer(String name, java.util.function.IntConsumer sink) {
            String v = value(name);
            if (v != null) {
                int parsed;
                try {
                    parsed = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("environment variable " + name + " must be a whole number but was " + Names.show(v));
                }
                try {
                    sink.accept(parsed);
                } catch (IllegalArgumentException e) {
                    throw rejected(name, v, e);
                }
            }
        }

        /** Names the variable and the text it held (the parsed form, say a Duration, reads differently). */
        private static IllegalArgumentException rejected(String name, String text, IllegalArgumentException e) {
            String shown = name.equals("REDIS_PASSWORD") ? "'***'" : Names.show(text);
            return new IllegalArgumentException("environment variable " + name + "=" + shown + ": " + e.getMessage(), e);
        }

        void flag(String name, java.util.function.Consumer<Boolean> sink) {
            String v = value(name);
            if (v != null) {
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "1", "true", "yes", "on" -> sink.accept(true);
                    case "0", "false", "no", "off" -> sink.accept(false);
                    default -> throw new IllegalArgumentException(
                            "environment variable " + name + " must be 1 or 0 (true/false) but was " + Names.show(v));
                }
            }
        }
    }
}
