package io.brickworks.db;

import io.brickworks.tx.AsyncCallback;
import io.brickworks.tx.spi.PostCommitTask;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database transaction on one connection, open for the length of a {@link Db#inSession} or
 * {@link Db#useSession} block, the Java form of the original's {@code db.session}. The block's code,
 * and any code it calls on the same thread, finds it with {@link Db#session()} without passing it
 * around.
 *
 * <p>The session commits when the outermost block returns and rolls back when it throws; do not call
 * {@code commit}, {@code rollback}, {@code setAutoCommit} or {@code close} on its
 * {@link #connection()}. A session is not thread-safe and is tied to the thread that opened it: use it
 * from that thread, and only inside its block. After the block it is closed and every method throws
 * {@link IllegalStateException}.
 */
public final class DbSession {

    private static final Logger LOG = LoggerFactory.getLogger(DbSession.class);

    private final Db db;
    private final Connection connection;
    private final boolean restoreAutoCommit;
    private SessionFrame top;
    private boolean open = true;

    DbSession(Db db, Connection connection, boolean restoreAutoCommit) {
        this.db = db;
        this.connection = connection;
        this.restoreAutoCommit = restoreAutoCommit;
    }

    /** The database this session belongs to. */
    public Db db() {
        return db;
    }

    /** Whether the session's block is still running. */
    public boolean isOpen() {
        return open;
    }

    /**
     * The session's connection, for anything the helpers here do not cover (batches, streaming,
     * driver features). It stays owned by the session: do not commit, roll back or close it.
     *
     * @throws IllegalStateException if the session is closed
     */
    public Connection connection() {
        checkOpen();
        return connection;
    }

    /**
     * Runs an {@code INSERT}, {@code UPDATE}, {@code DELETE} or DDL statement with {@code params}
     * bound in order (a {@code null} is SQL {@code NULL}) and returns the number of rows changed
     * (0 for DDL). The change becomes visible to others when the session commits.
     *
     * @throws IllegalArgumentException if {@code sql} is null or blank or {@code params} is null
     * @throws DbException if the statement fails
     * @throws IllegalStateException if the session is closed
     */
    public int update(String sql, Object... params) {
        checkSql(sql, params);
        try (PreparedStatement statement = prepare(sql, params)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new DbException("statement failed [" + sql + "]", e);
        }
    }

    /**
     * Runs a query with {@code params} bound in order and maps every row with {@code mapper}.
     *
     * @return the mapped rows in the order the database returned them (never null)
     * @throws IllegalArgumentException if {@code sql} is null or blank, or {@code mapper} or
     *     {@code params} is null
     * @throws DbException if the query or the mapper fails
     * @throws IllegalStateException if the session is closed
     */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        checkMapper(mapper);
        checkSql(sql, params);
        try (PreparedStatement statement = prepare(sql, params); ResultSet rows = statement.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rows.next()) {
                out.add(mapper.map(rows));
            }
            return out;
        } catch (SQLException e) {
            throw new DbException("query failed [" + sql + "]", e);
        }
    }

    /**
     * Runs a query and maps its first row; empty when there is none (or the mapper returns
     * {@code null}). Throws what {@link #query} throws, in the same cases.
     */
    public <T> Optional<T> queryFirst(String sql, RowMapper<T> mapper, Object... params) {
        checkMapper(mapper);
        checkSql(sql, params);
        try (PreparedStatement statement = prepare(sql, params)) {
            statement.setMaxRows(1);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(mapper.map(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DbException("query failed [" + sql + "]", e);
        }
    }

    /**
     * Registers {@code callback} to run after this session commits; see
     * {@link io.brickworks.tx.PostCommit} for the contract (order, failures, bounded wait). It goes
     * to the innermost open scope of this session: if that is a nested scope that later rolls back,
     * the callback is discarded with it.
     *
     * @throws IllegalArgumentException if {@code callback} is null
     * @throws IllegalStateException if the session is closed
     */
    public void addPostCommitCallback(Runnable callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
        addTask(() -> {
            callback.run();
            return null;
        });
    }

    /**
     * Registers an asynchronous {@code callback} to run after this session commits; the commit
     * waits (bounded by {@link DbSettings#postCommitWait()}) for the stage it returns. Otherwise as
     * {@link #addPostCommitCallback(Runnable)}.
     */
    public void addPostCommitCallback(AsyncCallback callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
        addTask(new PostCommitTask() {
            @Override
            public CompletionStage<?> afterCommit() throws Exception {
                return callback.run();
            }
        });
    }

    /** How deeply nested the innermost open scope is: 0 for the outermost, 1 inside one savepoint, ... */
    public int nestingLevel() {
        checkOpen();
        return top.level();
    }

    void addTask(PostCommitTask task) {
        checkOpen();
        top.tasks().add(task);
    }

    SessionFrame top() {
        return top;
    }

    void top(SessionFrame frame) {
        this.top = frame;
    }

    Connection rawConnection() {
        return connection;
    }

    /** Closes the session and gives its connection back (restoring auto-commit if the session turned it off). */
    void end() {
        open = false;
        try {
            if (restoreAutoCommit) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.warn("cannot restore auto-commit on a connection of {}", db, e);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("cannot close a connection of {}", db, e);
        }
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("this database session is closed: it is valid only inside its "
                    + "db.inSession(...) / db.useSession(...) block; open a new one there");
        }
    }

    private void checkSql(String sql, Object[] params) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be empty but was '" + sql + "'");
        }
        if (params == null) {
            throw new IllegalArgumentException("params must not be null (pass no arguments for none)");
        }
        checkOpen();
    }

    private static void checkMapper(RowMapper<?> mapper) {
        if (mapper == null) {
            throw new IllegalArgumentException("mapper must not be null");
        }
    }

    private PreparedStatement prepare(String sql, Object[] params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "DbSession{" + db + ", open=" + open + "}";
    }
}
