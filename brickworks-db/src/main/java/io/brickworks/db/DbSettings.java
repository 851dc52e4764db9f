package io.brickworks.db;

import io.brickworks.cache.CacheSettings.HostAndPort;
import io.brickworks.tx.spi.PostCommitTasks;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of a {@link Db} that creates its own connection pool (HikariCP). Every
 * environment variable has a builder method; the first four are the original's:
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>Environment variable</th><th>Builder method</th><th>Default</th></tr>
 * <tr><td>{@code DB_HOST}</td><td>{@link Builder#host} ({@code host:port})</td><td>{@code 127.0.0.1:5432}</td></tr>
 * <tr><td>{@code DB_USER}</td><td>{@link Builder#user}</td><td>{@code postgres}</td></tr>
 * <tr><td>{@code DB_PASSWORD}</td><td>{@link Builder#password}</td><td>none</td></tr>
 * <tr><td>{@code DB_NAME}</td><td>{@link Builder#name}</td><td>{@code postgres}</td></tr>
 * <tr><td>{@code DB_JDBC_URL}</td><td>{@link Builder#jdbcUrl}</td><td>none: {@code jdbc:postgresql://<DB_HOST>/<DB_NAME>}</td></tr>
 * <tr><td>{@code DB_POOL_SIZE}</td><td>{@link Builder#poolSize}</td><td>{@code 10}</td></tr>
 * <tr><td>{@code DB_CONNECTION_TIMEOUT_MS}</td><td>{@link Builder#connectionTimeout}</td><td>{@code 10000}</td></tr>
 * <tr><td>{@code DB_POST_COMMIT_TIMEOUT_MS}</td><td>{@link Builder#postCommitWait}</td><td>{@code 10000}</td></tr>
 * </table>
 *
 * <p>A JDBC URL replaces host and database name (any JDBC driver on the class path works; the
 * PostgreSQL driver comes with this module); user and password still apply. {@link #toString()}
 * never shows the password.
 */
public final class DbSettings {

    private final String jdbcUrl;
    private final HostAndPort host;
    private final String user;
    private final String password;
    private final String name;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final Duration postCommitWait;

    private DbSettings(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.host = b.host;
        this.user = b.user;
        this.password = b.password;
        this.name = b.name;
        this.poolSize = b.poolSize;
        this.connectionTimeout = b.connectionTimeout;
        this.postCommitWait = b.postCommitWait;
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings read from this process's environment variables. */
    public static DbSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Settings read from {@code env}, a map of environment variables; unset or blank variables keep
     * their defaults.
     *
     * @throws IllegalArgumentException naming the variable and its value when one cannot be used
     */
    public static DbSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        Builder b = builder();
        String host = value(env, "DB_HOST");
        if (host != null) {
            b.host(HostAndPort.parse("environment variable DB_HOST", host));
        }
        String user = value(env, "DB_USER");
        if (user != null) {
            b.user(user);
        }
        b.password(value(env, "DB_PASSWORD"));
        String name = value(env, "DB_NAME");
        if (name != null) {
            b.name(name);
        }
        b.jdbcUrl(value(env, "DB_JDBC_URL"));
        String poolSize = value(env, "DB_POOL_SIZE");
        if (poolSize != null) {
            b.poolSize((int) positive("DB_POOL_SIZE", poolSize));
        }
        String timeout = value(env, "DB_CONNECTION_TIMEOUT_MS");
        if (timeout != null) {
            b.connectionTimeout(Duration.ofMillis(positive("DB_CONNECTION_TIMEOUT_MS", timeout)));
        }
        b.postCommitWait(PostCommitTasks.waitFromEnvironment(env));
        return b.build();
    }

    private static String value(Map<String, String> env, String variable) {
        String v = env.get(variable);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static long positive(String variable, String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0 && parsed <= Integer.MAX_VALUE) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("environment variable " + variable
                + " must be a positive whole number but was '" + value + "'");
    }

    /** The JDBC URL connections are made to: the configured one, or {@code jdbc:postgresql://host:port/name}. */
    public String jdbcUrl() {
        return jdbcUrl != null ? jdbcUrl : "jdbc:postgresql://" + host + "/" + name;
    }

    public HostAndPort host() { return host; }
    public String user() { return user; }
    /** The password, or {@code null}. Never log it. */
    public String password() { return password; }
    /** The database name. */
    public String name() { return name; }
    /** The most connections the pool opens. */
    public int poolSize() { return poolSize; }
    /** How long opening a session waits for a connection before it fails. */
    public Duration connectionTimeout() { return connectionTimeout; }
    /** How long a commit waits, in total, for asynchronous post-commit callbacks. */
    public Duration postCommitWait() { return postCommitWait; }

    @Override
    public String toString() {
        return "DbSettings{url=" + jdbcUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", poolSize=" + poolSize + ", connectionTimeout=" + connectionTimeout.toMillis()
                + "ms, postCommitWait=" + postCommitWait.toMillis() + "ms}";
    }

    /** Builds {@link DbSettings}; every setter validates its argument at once. Not thread-safe. */
    public static final class Builder {
        private String jdbcUrl;
        private HostAndPort host = new HostAndPort("127.0.0.1", 5432);
        private String user = "postgres";
        private String password;
        private String name = "postgres";
        private int poolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration postCommitWait = PostCommitTasks.DEFAULT_WAIT;

        private Builder() {
        }

        /** A JDBC URL that replaces host and name; {@code null} or blank for none. */
        public Builder jdbcUrl(String url) {
            if (url != null && !url.isBlank() && !url.startsWith("jdbc:")) {
                throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:' but was '" + url + "'");
            }
            this.jdbcUrl = url == null || url.isBlank() ? null : url;
            return this;
        }

        /** The PostgreSQL server. */
        public Builder host(HostAndPort host) {
            if (host == null) {
                throw new IllegalArgumentException("host must not be null");
            }
            this.host = host;
            return this;
        }

        /** The PostgreSQL server as {@code host:port}, the form of {@code DB_HOST}. */
        public Builder host(String hostAndPort) {
            if (hostAndPort == null) {
                throw new IllegalArgumentException("host must not be null");
            }
            return host(HostAndPort.parse("host", hostAndPort));
        }

        public Builder user(String user) {
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("user must not be empty but was '" + user + "'");
            }
            this.user = user;
            return this;
        }

        /** The password; {@code null} or empty for none. */
        public Builder password(String password) {
            this.password = password == null || password.isEmpty() ? null : password;
            return this;
        }

        /** The database name. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be empty but was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        public Builder poolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1 but was " + size);
            }
            this.poolSize = size;
            return this;
        }

        /** At least 250 ms (HikariCP's minimum). */
        public Builder connectionTimeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms but was " + timeout);
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /** How long a commit waits, in total, for asynchronous post-commit callbacks (at least 1 ms). */
        public Builder postCommitWait(Duration wait) {
            if (wait == null || wait.toMillis() < 1) {
                throw new IllegalArgumentException("postCommitWait must be at least 1 ms but was " + wait);
            }
            this.postCommitWait = wait;
            return this;
        }

        public DbSettings build() {
            return new DbSettings(this);
        }
    }
}
