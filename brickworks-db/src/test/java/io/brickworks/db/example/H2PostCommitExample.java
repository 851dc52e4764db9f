package io.brickworks.db.example;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.db.Db;
import io.brickworks.db.DbSettings;
import io.brickworks.tx.TransactionalCache;
import io.brickworks.tx.PostCommit;

/**
 * The README's example, runnable on embedded H2 and the memory cache: an update that commits (the
 * cache changes) and one that rolls back (it does not). The demo can copy it as it is.
 */
public final class H2PostCommitExample {

    /** What the example saw: the cached name after the commit and after the rollback. */
    public record Outcome(String afterCommit, String afterRollback, String nameInDatabase) {
    }

    private H2PostCommitExample() {
    }

    public static void main(String[] args) {
        System.out.println(run());
    }

    /** Runs the example on a fresh in-memory H2 database and memory cache. */
    public static Outcome run() {
        DbSettings settings = DbSettings.builder().jdbcUrl("jdbc:h2:mem:example;DB_CLOSE_DELAY=-1").user("sa").build();
        try (Db db = Db.builder().settings(settings).build();
             BrickworksCache cache = BrickworksCache.builder().settings(CacheSettings.builder().build()).build()) {
            TransactionalCache txCache = TransactionalCache.of(cache);
            db.useSession(s -> {
                s.update("CREATE TABLE IF NOT EXISTS users (id INT PRIMARY KEY, name VARCHAR(100))");
                s.update("MERGE INTO users KEY (id) VALUES (7, 'Ada')");
            });
            cache.setKey("user-7", "Ada").join();

            // 1. An update that commits: the cache entry changes after the commit.
            db.useSession(s -> {
                s.update("UPDATE users SET name = ? WHERE id = ?", "Grace", 7);
                txCache.setKey("user-7", "Grace");                         // deferred to after the commit
                PostCommit.register(() -> System.out.println("committed: user 7 is Grace"));
            });
            String afterCommit = cache.getKey("user-7").join();         // "Grace"

            // 2. An update that rolls back: nothing reaches the cache.
            try {
                db.useSession(s -> {
                    s.update("UPDATE users SET name = ? WHERE id = ?", "Mallory", 7);
                    txCache.setKey("user-7", "Mallory");                   // discarded with the rollback
                    throw new IllegalStateException("validation failed");
                });
            } catch (IllegalStateException expected) {
                // the session rolled back
            }
            String afterRollback = cache.getKey("user-7").join();       // still "Grace"
            String inDatabase = db.inSession(s -> s.queryFirst("SELECT name FROM users WHERE id = ?",
                    row -> row.getString(1), 7).orElse(null));
            return new Outcome(afterCommit, afterRollback, inDatabase);
        }
    }
}
