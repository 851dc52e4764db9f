package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.spi.CacheBackendException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How driver failures become messages: the address always, the password never. */
class RedisFaultsTest {

    private static final String PASSWORD = "hunter2-Secret";
    private final RedisFaults faults = new RedisFaults("db.example:6380/2", PASSWORD, Duration.ofMillis(750));

    @Test
    void aMessageThatQuotesThePasswordIsScrubbedAndItsCauseNotAttached() {
        RedisConnectionException leaky = new RedisConnectionException(
                "Unable to connect to redis://default:" + PASSWORD + "@db.example:6380/2");
        CacheBackendException e = faults.translate(new CompletionException(leaky));

        assertThat(e.getMessage()).startsWith("Redis at db.example:6380/2: unreachable: ")
                .contains("redis://default:***@db.example").doesNotContain(PASSWORD);
        assertThat(e.getCause()).isNull();
        assertThat(faults.cannotConnect(new RedisException("wrapper", leaky)).getCause()).isNull();
        assertThat(faults.cannotConnect(new RedisException("wrapper", leaky)).getMessage()).doesNotContain(PASSWORD);
    }

    @Test
    void aMessageWithoutThePasswordKeepsItsCause() {
        RedisCommandExecutionException refused = new RedisCommandExecutionException("WRONGTYPE Operation against a key");
        CacheBackendException e = faults.translate(refused);
        assertThat(e.getMessage()).isEqualTo("Redis at db.example:6380/2: the command was refused: "
                + "WRONGTYPE Operation against a key");
        assertThat(e.getCause()).isSameAs(refused);
    }

    @Test
    void eachKindOfFailureSaysWhatIsKnownAboutTheCommand() {
        assertThat(faults.translate(new RedisCommandTimeoutException("Command timed out")).getMessage())
                .contains("no answer within the command timeout of 750 ms")
                .contains("may or may not have been applied");
        assertThat(faults.translate(new RedisException("Connection disconnected")).getMessage())
                .contains("the connection was lost before the answer came");
        assertThat(faults.translate(new ClosedChannelException()).getMessage()).contains("it was not sent");
        assertThat(faults.translate(new RedisException("Currently not connected. Commands are rejected.")).getMessage())
                .contains("it was not sent");
        assertThat(faults.unreachable(new RedisConnectionException("Connection refused")).getMessage())
                .isEqualTo("Redis at db.example:6380/2: unreachable (the last attempt to reconnect failed: Connection "
                        + "refused); reconnecting in the background, the command was not sent");
        assertThat(faults.closed().getMessage()).contains("db.example:6380/2").contains("closed");
    }

    @Test
    void aBackendExceptionPassesThroughUnchanged() {
        CacheBackendException original = new CacheBackendException("already translated");
        assertThat(faults.translate(new CompletionException(original))).isSameAs(original);
    }
}
