package io.brickworks.cache.jcache.hibernate;

import jakarta.persistence.OptimisticLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.hibernate.SessionFactory;
import org.hibernate.StaleStateException;
import org.hibernate.cfg.Configuration;

/**
 * The Hibernate set-up shared by the test and its second process: the documented properties for
 * the second-level cache through hibernate-jcache with this provider, on the PostgreSQL of the test
 * machine (tables {@code jc26_*}), and the operations both processes run.
 */
final class Jc26Hibernate {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private Jc26Hibernate() {
    }

    /** Writes the provider's properties file for a Redis on {@code port} (near cache on); its path. */
    static Path writeJCacheProperties(Path dir, int port) throws Exception {
        Path file = dir.resolve("brickworks-jcache.properties");
        Files.writeString(file, String.join("\n",
                "USE_REDIS=1", "REDIS_HOST=127.0.0.1", "REDIS_PORT=" + port, "NEAR_CACHE=1",
                "JCACHE_NAMESPACE=hibernate",
                "JCACHE_ALLOWED_TYPES=org.hibernate.cache.*,org.hibernate.query.*,org.hibernate.engine.spi.*"
                        + ",org.hibernate.type.*,org.hibernate.metamodel.*,org.hibernate.sql.*", ""));
        return file;
    }

    /**
     * A session factory with the second-level and query caches on this provider (or none with
     * {@code cached} false); {@code schema} is Hibernate's schema action ({@code create} or {@code none}).
     */
    static SessionFactory open(Path jcacheProperties, boolean cached, String schema) {
        Configuration c = new Configuration()
                .addAnnotatedClass(JcReadWriteItem.class)
                .addAnnotatedClass(JcNonstrictItem.class)
                .addAnnotatedClass(JcReadOnlyItem.class)
                .addAnnotatedClass(JcBasket.class)
                .addAnnotatedClass(JcCountry.class)
                .setProperty("hibernate.connection.url", URL)
                .setProperty("hibernate.connection.username", "postgres")
                .setProperty("hibernate.connection.pool_size", "4")
                .setProperty("hibernate.hbm2ddl.auto", schema)
                .setProperty("hibernate.generate_statistics", "true");
        if (cached) {
            c.setProperty("hibernate.cache.use_second_level_cache", "true")
                    .setProperty("hibernate.cache.use_query_cache", "true")
                    .setProperty("hibernate.cache.region.factory_class", "jcache")
                    .setProperty("hibernate.javax.cache.provider",
                            "io.brickworks.cache.jcache.BrickworksCachingProvider")
                    .setProperty("hibernate.javax.cache.uri", jcacheProperties.toUri().toString())
                    .setProperty("hibernate.javax.cache.missing_cache_strategy", "create");
        } else {
            c.setProperty("hibernate.cache.use_second_level_cache", "false");
        }
        return c.buildSessionFactory();
    }

    /** Adds one to the counter of read-write item {@code id} in its own transaction, retrying on a version conflict. */
    static void increment(SessionFactory sf, long id) {
        while (true) {
            try {
                sf.inTransaction(s -> s.find(JcReadWriteItem.class, id).counter++);
                return;
            } catch (OptimisticLockException | StaleStateException e) {
                // the other process committed first: read again and retry
            }
        }
    }

    /** The name and counter of read-write item {@code id} in the database (plain JDBC, no cache). */
    static String databaseState(long id) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
             PreparedStatement ps = c.prepareStatement("select name, counter from jc26_rw_item where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) + "/" + rs.getLong(2) : null;
            }
        }
    }

    /**
     * Runs one SQL statement ({@code rename-rw}, {@code add-element} or {@code code}, on row {@code id}
     * with {@code value}) with plain JDBC: a writer that bypasses Hibernate and its cache.
     */
    static void behindHibernate(String change, long id, String value) throws SQLException {
        String sql = switch (change) {
            case "rename-rw" -> "update jc26_rw_item set name = ? where id = ?";
            case "add-element" -> "insert into jc26_basket_element (element, basket_id) values (?, ?)";
            case "code" -> "update jc26_country set code = ? where id = ?";
            default -> throw new IllegalArgumentException("unknown change " + change);
        };
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }
}
