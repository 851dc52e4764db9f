package io.brickworks.db;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The PostgreSQL of this machine: 127.0.0.1:5432, database {@code test}, user {@code postgres}, trust auth. */
final class Postgres {

    static final String HOST = "127.0.0.1:5432";
    static final String URL = "jdbc:postgresql://" + HOST + "/test";

    private Postgres() {
    }

    /** Fails the test, saying how to start PostgreSQL, when it cannot be reached. Never skips. */
    static void requireRunning() {
        try (Connection c = DriverManager.getConnection(URL, "postgres", null)) {
            c.isValid(5);
        } catch (SQLException e) {
            fail("PostgreSQL is not reachable at " + HOST + " (database 'test', user 'postgres', trust auth): "
                    + e.getMessage() + ". Start it with `service postgresql start` (or `pg_ctlcluster 15 main start`), "
                    + "create the database with `createdb -h 127.0.0.1 -U postgres test`, then run the tests again.", e);
        }
    }

    /** Settings for a {@link Db} with its own pool on this PostgreSQL, the way DB_HOST/DB_USER/DB_NAME give them. */
    static DbSettings settings() {
        return DbSettings.builder().host(HOST).user("postgres").name("test").poolSize(4).build();
    }
}
