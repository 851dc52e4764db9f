package io.brickworks.db;

import java.util.UUID;

/** The session contract on embedded H2, through a HikariCP pool that the {@link Db} owns. */
class H2DbSessionTest extends AbstractDbSessionTest {

    @Override
    protected Db openDb() {
        return Db.builder().settings(DbSettings.builder()
                .jdbcUrl("jdbc:h2:mem:bw" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1")
                .user("sa").poolSize(4).build()).build();
    }
}
