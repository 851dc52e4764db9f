package io.brickworks.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.brickworks.tx.spi.PostCommitTasks;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database reached over JDBC, the Java form of the original's {@code db}: it opens sessions
 * (transactions) that commit when their block succeeds and roll back when it throws, and runs
 * post-commit callbacks after a successful commit.
 *
 * <pre>{@code
 * try (Db db = Db.fromEnvironment()) {                       // DB_HOST, DB_USER, DB_PASSWORD, DB_NAME
 *     db.useSession(session -> {
 *         session.update("UPDATE users SET name = ? WHERE id = ?", "Ada", 7);
 *         PostCommit.register(() -> cache.deleteKey("user-7"));   // after the commit, not before
 *     });
 *     // committed; the cache entry is gone
 * }
 * }</pre>
 *
 * <h2>Sessions</h2>
 * {@link #inSession} and {@link #useSession} open a session on a connection from the pool, bind it to
 * the calling thread for the length of the block (found with {@link #session()}; the previous binding
 * is restored afterwards), and then:
 * <ul>
 * <li>when the block returns: commit; then the session's post-commit callbacks run in registration
 *     order, each once, after the connection went back to the pool and the session was unbound
 *     (a callback that needs the database opens its own session). The call waits for asynchronous
 *     callbacks, at most {@link DbSettings#postCommitWait()} in total, so the cache shows the change
 *     when it returns. A failing callback is logged; the others still run and the commit stands.</li>
 * <li>when the block throws (anything, also an {@code Error}): roll back, discard the callbacks, and
 *     rethrow the same exception (a failing rollback is added to it as suppressed).</li>
 * <li>when the commit itself fails: roll back, discard the callbacks, throw {@link DbException}.</li>
 * </ul>
 *
 * <h2>Nested scopes</h2>
 * Calling {@code inSession}/{@code useSession} of the same {@code Db} inside a block on the same thread
 * does not open a second transaction: it sets a savepoint on the session's connection and passes the
 * same session. If the nested block throws, the work since the savepoint is rolled back, the
 * callbacks registered inside the nested block are discarded, and the exception propagates (the
 * outer block may catch it and still commit). If it returns, its callbacks join the enclosing scope
 * and run when the outermost scope commits. A session of a different {@code Db} opened inside a block
 * is an independent transaction; callbacks registered with {@link io.brickworks.tx.PostCommit} go to
 * the innermost scope on the thread.
 *
 * <h2>Ownership</h2>
 * A {@code Db} built from {@link DbSettings} owns its HikariCP pool and closes it on {@link #close()}.
 * A {@code Db} built on a given {@link DataSource} does not own it and leaves it open. The pool
 * connects lazily: building a {@code Db} does not fail when the database is down; opening a session
 * does, with a {@link DbException}. Instances are thread-safe; sessions are not.
 */
public final class Db implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Db.class);
    private static final ThreadLocal<SessionFrame> CURRENT = new ThreadLocal<>();

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Duration postCommitWait;
    private final String description;
    private volatile boolean closed;

    private Db(DataSource dataSource, HikariDataSource ownedPool, Duration postCommitWait, String description) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.postCommitWait = postCommitWait;
        this.description = description;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A database with its own pool, configured from the environment ({@link DbSettings#fromEnvironment()}). */
    public static Db fromEnvironment() {
        return builder().settings(DbSettings.fromEnvironment()).build();
    }

    /**
     * The session bound to the calling thread (the innermost, when sessions of several databases are
     * open), the Java form of the original's {@code db.session}.
     *
     * @throws IllegalStateException if no session is open on this thread; the message says how to open one
     */
    public static DbSession session() {
        SessionFrame frame = CURRENT.get();
        if (frame == null) {
            throw new IllegalStateException("no database session is open on thread '" + Thread.currentThread().getName()
                    + "': open one with db.useSession(session -> ...) or db.inSession(session -> ...), and call this "
                    + "from inside the block, on the same thread");
        }
        return frame.session();
    }

    /** The session bound to the calling thread, if any. */
    public static Optional<DbSession> currentSession() {
        SessionFrame frame = CURRENT.get();
        return frame == null ? Optional.empty() : Optional.of(frame.session());
    }

    /** The innermost open scope on this thread, or {@code null}. */
    static SessionFrame currentFrame() {
        return CURRENT.get();
    }

    /**
     * Runs {@code work} in a session and returns its result: commits when it returns, rolls back when
     * it throws, runs the post-commit callbacks after the commit (see the class documentation; nested
     * calls use a savepoint).
     *
     * @return what {@code work} returned
     * @throws X what {@code work} threw, after the rollback
     * @throws DbException if no connection can be had, or the commit (or a savepoint) fails
     * @throws IllegalArgumentException if {@code work} is null (nothing is opened)
     * @throws IllegalStateException if this {@code Db} is closed
     */
    public <T, X extends Exception> T inSession(SessionCallback<T, X> work) throws X {
        if (work == null) {
            throw new IllegalArgumentException("work must not be null");
        }
        checkOpen();
        SessionFrame previous = CURRENT.get();
        for (SessionFrame f = previous; f != null; f = f.previousOnThread()) {
            if (f.session().db() == this) {
                return nested(f.session(), previous, work);
            }
        }
        return outermost(previous, work);
    }

    /** As {@link #inSession(SessionCallback)} for work that returns nothing. */
    public <X extends Exception> void useSession(SessionConsumer<X> work) throws X {
        if (work == null) {
            throw new IllegalArgumentException("work must not be null");
        }
        inSession(session -> {
            work.accept(session);
            return null;
        });
    }

    /** The data source sessions take their connections from. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** How long a commit waits, in total, for asynchronous post-commit callbacks. */
    public Duration postCommitWait() {
        return postCommitWait;
    }

    /**
     * Closes the pool if this {@code Db} created it (a given {@link DataSource} is left open).
     * Sessions opened afterwards fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    @Override
    public String toString() {
        return "Db{" + description + "}";
    }

    private <T, X extends Exception> T outermost(SessionFrame previous, SessionCallback<T, X> work) throws X {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new DbException("cannot get a database connection from " + description, e);
        }
        boolean restoreAutoCommit;
        try {
            restoreAutoCommit = connection.getAutoCommit();
            if (restoreAutoCommit) {
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new DbException("cannot start a transaction on " + description, e);
        }
        DbSession session = new DbSession(this, connection, restoreAutoCommit);
        SessionFrame frame = new SessionFrame(session, null, null, previous, new PostCommitTasks());
        T result = runInFrame(frame, work);
        DbException commitFailure = null;
        try {
            connection.commit();
        } catch (SQLException e) {
            commitFailure = new DbException("commit failed on " + description + "; the session was rolled back", e);
            rollbackAndEnd(frame, commitFailure);
        }
        if (commitFailure != null) {
            throw commitFailure;
        }
        endFrame(frame);
        frame.tasks().runAll(postCommitWait);
        return result;
    }

    private <T, X extends Exception> T nested(DbSession session, SessionFrame previous, SessionCallback<T, X> work)
            throws X {
        Savepoint savepoint;
        try {
            savepoint = session.rawConnection().setSavepoint();
        } catch (SQLException e) {
            throw new DbException("cannot set a savepoint for a nested session scope on " + description, e);
        }
        SessionFrame parent = session.top();
        SessionFrame frame = new SessionFrame(session, parent, savepoint, previous, new PostCommitTasks());
        T result = runInFrame(frame, work);
        try {
            session.rawConnection().releaseSavepoint(savepoint);
        } catch (SQLFeatureNotSupportedException e) {
            LOG.debug("the driver cannot release savepoints; they end with the transaction", e);
        } catch (SQLException e) {
            DbException failure = new DbException("cannot release the savepoint of a nested session scope on "
                    + description + "; its work was rolled back", e);
            rollbackAndEnd(frame, failure);
            throw failure;
        }
        endFrame(frame);
        parent.tasks().absorb(frame.tasks());
        return result;
    }

    /** Binds {@code frame}, runs {@code work}; when it throws, rolls the frame back, ends it and rethrows. */
    private static <T, X extends Exception> T runInFrame(SessionFrame frame, SessionCallback<T, X> work) throws X {
        frame.session().top(frame);
        CURRENT.set(frame);
        try {
            return work.run(frame.session());
        } catch (Throwable failure) {
            rollbackAndEnd(frame, failure);
            throw failure;
        }
    }

    /**
     * Rolls {@code frame} back (to its savepoint, or the whole transaction), ends it and discards its
     * callbacks; a failing rollback is added to {@code failure}.
     */
    private static void rollbackAndEnd(SessionFrame frame, Throwable failure) {
        Connection connection = frame.session().rawConnection();
        try {
            if (frame.savepoint() == null) {
                connection.rollback();
            } else {
                connection.rollback(frame.savepoint());
            }
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        endFrame(frame);
        frame.tasks().discard();
    }

    /**
     * Unbinds {@code frame}, restoring the previous binding of the thread; for the outermost frame also
     * closes the session and gives the connection back.
     */
    private static void endFrame(SessionFrame frame) {
        DbSession session = frame.session();
        session.top(frame.parent());
        if (frame.previousOnThread() == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(frame.previousOnThread());
        }
        if (frame.savepoint() == null) {
            session.end();
        }
    }

    private void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("cannot close a connection of {}", description, e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** Builds a {@link Db}. Not thread-safe. */
    public static final class Builder {
        private DbSettings settings;
        private DataSource dataSource;

        private Builder() {
        }

        /**
         * The settings; by default {@link DbSettings#fromEnvironment()} (or, with a
         * {@link #dataSource(DataSource) data source}, the defaults). Without a data source the
         * {@code Db} creates and owns a HikariCP pool from them.
         */
        public Builder settings(DbSettings settings) {
            if (settings == null) {
                throw new IllegalArgumentException("settings must not be null");
            }
            this.settings = settings;
            return this;
        }

        /**
         * Takes connections from {@code dataSource} (for example your application's pool) instead of
         * creating a pool; the settings' connection fields are then unused, their
         * {@link DbSettings#postCommitWait()} still applies. The {@code Db} does not close it.
         */
        public Builder dataSource(DataSource dataSource) {
            if (dataSource == null) {
                throw new IllegalArgumentException("dataSource must not be null");
            }
            this.dataSource = dataSource;
            return this;
        }

        /** The database. With settings, creates the pool (which connects lazily). */
        public Db build() {
            if (dataSource != null) {
                DbSettings s = settings != null ? settings : DbSettings.builder().build();
                return new Db(dataSource, null, s.postCommitWait(), dataSource.getClass().getSimpleName());
            }
            DbSettings s = settings != null ? settings : DbSettings.fromEnvironment();
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(s.jdbcUrl());
            config.setUsername(s.user());
            config.setPassword(s.password());
            config.setMaximumPoolSize(s.poolSize());
            config.setConnectionTimeout(s.connectionTimeout().toMillis());
            config.setInitializationFailTimeout(-1);
            config.setPoolName("brickworks-db");
            HikariDataSource pool = new HikariDataSource(config);
            return new Db(pool, pool, s.postCommitWait(), s.jdbcUrl() + " as " + s.user());
        }
    }
}
