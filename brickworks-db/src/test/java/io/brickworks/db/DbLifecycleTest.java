package io.brickworks.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.tx.PostCommit;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class DbLifecycleTest {

    private static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:life" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return ds;
    }

    @Test
    void aGivenDataSourceIsUsedButNotOwned() throws Exception {
        JdbcDataSource ds = h2();
        List<String> ran = new CopyOnWriteArrayList<>();
        try (Db db = Db.builder().dataSource(ds).build()) {
            db.useSession(s -> {
                s.update("CREATE TABLE t (id INT)");
                s.update("INSERT INTO t VALUES (1)");
                PostCommit.register(() -> ran.add("after commit"));
            });
        }
        assertThat(ran).containsExactly("after commit");
        try (var c = ds.getConnection(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(c.getAutoCommit()).isTrue();
        }
    }

    @Test
    void aClosedDbOpensNoSession() {
        Db db = Db.builder().dataSource(h2()).build();
        db.close();
        db.close();
        assertThatThrownBy(() -> db.useSession(s -> s.update("SELECT 1"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void anUnreachableDatabaseFailsTheSessionNotTheBuild() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DbSettings settings = DbSettings.builder().host("127.0.0.1:" + port).name("nothing")
                .connectionTimeout(Duration.ofMillis(300)).poolSize(1).build();
        List<String> ran = new CopyOnWriteArrayList<>();
        try (Db db = Db.builder().settings(settings).build()) {
            assertThatThrownBy(() -> db.useSession(s -> PostCommit.register(() -> ran.add("never"))))
                    .isInstanceOf(DbException.class)
                    .hasMessageContaining("cannot get a database connection from jdbc:postgresql://127.0.0.1:" + port);
        }
        assertThat(ran).isEmpty();
        assertThat(Db.currentSession()).isEmpty();
    }
}
