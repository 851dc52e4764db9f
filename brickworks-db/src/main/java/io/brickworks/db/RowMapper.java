package io.brickworks.db;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Turns the current row of a {@link ResultSet} into a value; must not move the cursor. */
@FunctionalInterface
public interface RowMapper<T> {

    /** The value of the current row. */
    T map(ResultSet row) throws SQLException;
}
