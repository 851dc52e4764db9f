package io.brickworks.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbSettingsTest {

    @Test
    void defaultsAreTheOriginals() {
        DbSettings s = DbSettings.fromEnvironment(Map.of());
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(s.user()).isEqualTo("postgres");
        assertThat(s.password()).isNull();
        assertThat(s.postCommitWait()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyVariableIsRead() {
        DbSettings s = DbSettings.fromEnvironment(Map.of("DB_HOST", "db.internal:6543", "DB_USER", "app",
                "DB_PASSWORD", "secret", "DB_NAME", "shop", "DB_POOL_SIZE", "3", "DB_CONNECTION_TIMEOUT_MS", "700",
                "DB_POST_COMMIT_TIMEOUT_MS", "1500"));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/shop");
        assertThat(s.host().port()).isEqualTo(6543);
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("secret");
        assertThat(s.poolSize()).isEqualTo(3);
        assertThat(s.connectionTimeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(s.postCommitWait()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.toString()).doesNotContain("secret").contains("***");
    }

    @Test
    void aJdbcUrlReplacesHostAndName() {
        DbSettings s = DbSettings.fromEnvironment(Map.of("DB_JDBC_URL", "jdbc:h2:mem:x", "DB_HOST", "ignored:1"));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:h2:mem:x");
    }

    @Test
    void badValuesNameTheVariableAndTheValue() {
        assertThatThrownBy(() -> DbSettings.fromEnvironment(Map.of("DB_HOST", "localhost")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DB_HOST")
                .hasMessageContaining("'localhost'");
        assertThatThrownBy(() -> DbSettings.fromEnvironment(Map.of("DB_POOL_SIZE", "-2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DB_POOL_SIZE")
                .hasMessageContaining("'-2'");
        assertThatThrownBy(() -> DbSettings.builder().jdbcUrl("postgres://x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbcUrl");
        assertThatThrownBy(() -> DbSettings.builder().connectionTimeout(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectionTimeout");
        assertThatThrownBy(() -> DbSettings.builder().postCommitWait(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postCommitWait");
    }
}
