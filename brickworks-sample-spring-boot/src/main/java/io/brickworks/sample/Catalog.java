package io.brickworks.sample;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.tx.PostCommit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads products from the database through the cache; renames them in a transaction. */
@Service
public class Catalog {

    private final JdbcTemplate jdbc;
    private final BrickworksCache cache;
    private final AtomicInteger loads = new AtomicInteger();

    public Catalog(JdbcTemplate jdbc, BrickworksCache cache) {
        this.jdbc = jdbc;
        this.cache = cache;
    }

    /** One database read per product across every replica, until it is evicted or expires. */
    @Cacheable(cacheNames = "products", sync = true)
    public Product find(long id) {
        loads.incrementAndGet();
        return jdbc.query("SELECT id, name, price FROM product WHERE id = ?",
                rs -> rs.next() ? new Product(rs.getLong(1), rs.getString(2), rs.getBigDecimal(3)) : null, id);
    }

    /**
     * Renames a product. The eviction (brickworks.cache.spring.transaction-aware=true) and the event
     * pushed to the queue run only after the commit: a reader never caches the old row after the new
     * one committed, and a rollback changes nothing.
     */
    @Transactional
    @CacheEvict(cacheNames = "products", key = "#id")
    public boolean rename(long id, String name) {
        boolean updated = jdbc.update("UPDATE product SET name = ? WHERE id = ?", name, id) == 1;
        if (updated) {
            PostCommit.register(() -> cache.pushToQueue("product-renamed", Long.toString(id)));
        }
        return updated;
    }

    /** How many times {@link #find} read the database in this replica. */
    public int loads() {
        return loads.get();
    }
}
