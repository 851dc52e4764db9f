package io.brickworks.db;

import java.sql.SQLException;

/**
 * A database operation failed: getting a connection, a statement, a commit, a savepoint. The cause is
 * the driver's {@link SQLException}; {@link #sqlState()} is its SQL state. Messages name the
 * statement's SQL but never its parameters.
 */
public class DbException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception for {@code what} that failed because of {@code cause}. */
    public DbException(String what, SQLException cause) {
        super(what + ": " + cause.getMessage() + (cause.getSQLState() == null ? "" : " (SQL state " + cause.getSQLState() + ")"),
                cause);
    }

    /** The SQL state of the cause, or {@code null}. */
    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }
}
