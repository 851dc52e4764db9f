package io.brickworks.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.tx.spi.PostCommitTask;
import io.brickworks.tx.spi.PostCommitTasks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PostCommitTasksTest {

    private final List<String> log = new CopyOnWriteArrayList<>();

    private PostCommitTask task(String name) {
        return () -> {
            log.add(name);
            return null;
        };
    }

    @Test
    void runsInOrderEachOnce() {
        PostCommitTasks tasks = new PostCommitTasks();
        tasks.add(task("a"));
        tasks.add(task("b"));
        tasks.add(task("c"));
        tasks.runAll(Duration.ofSeconds(5));
        tasks.runAll(Duration.ofSeconds(5));
        tasks.discard();
        assertThat(log).containsExactly("a", "b", "c");
        assertThat(tasks.size()).isZero();
    }

    @Test
    void failingTasksAreLoggedAndTheOthersStillRun() {
        PostCommitTasks tasks = new PostCommitTasks();
        tasks.add(task("a"));
        tasks.add(() -> {
            throw new IllegalStateException("thrown");
        });
        tasks.add(() -> CompletableFuture.failedFuture(new IllegalStateException("failed stage")));
        tasks.add(() -> {
            throw new AssertionError("error");
        });
        tasks.add(task("b"));
        tasks.runAll(Duration.ofSeconds(5));
        assertThat(log).containsExactly("a", "b");
    }

    @Test
    void waitsForEachAsyncTaskBeforeStartingTheNext() {
        PostCommitTasks tasks = new PostCommitTasks();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            int n = i;
            tasks.add(() -> CompletableFuture.runAsync(() -> {
                // each task sees every earlier one finished
                log.add(n + ":" + done.get());
                done.incrementAndGet();
            }));
        }
        tasks.runAll(Duration.ofSeconds(10));
        assertThat(log).containsExactly("0:0", "1:1", "2:2", "3:3", "4:4");
        assertThat(done).hasValue(5);
    }

    @Test
    void aStuckTaskDoesNotHoldUpTheOthersBeyondTheWait() {
        PostCommitTasks tasks = new PostCommitTasks();
        CompletableFuture<Void> never = new CompletableFuture<>();
        tasks.add(() -> never);
        tasks.add(() -> new CompletableFuture<Void>());
        tasks.add(task("after"));
        tasks.runAll(Duration.ofMillis(100));
        assertThat(log).containsExactly("after");
        never.completeExceptionally(new IllegalStateException("late failure is only logged"));
    }

    @Test
    void discardTellsEveryTaskAndRunsNone() {
        PostCommitTasks tasks = new PostCommitTasks();
        for (String name : List.of("a", "b")) {
            tasks.add(new PostCommitTask() {
                @Override
                public CompletionStage<?> afterCommit() {
                    log.add("ran " + name);
                    return null;
                }

                @Override
                public void discarded() {
                    log.add("discarded " + name);
                }
            });
        }
        tasks.discard();
        tasks.runAll(Duration.ofSeconds(1));
        assertThat(log).containsExactly("discarded a", "discarded b");
        assertThatThrownBy(() -> tasks.add(task("late"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already ran or were discarded");
    }

    @Test
    void absorbAppendsInnerTasksInOrder() {
        PostCommitTasks outer = new PostCommitTasks();
        PostCommitTasks inner = new PostCommitTasks();
        outer.add(task("outer-1"));
        inner.add(task("inner-1"));
        inner.add(task("inner-2"));
        outer.absorb(inner);
        outer.add(task("outer-2"));
        outer.runAll(Duration.ofSeconds(1));
        assertThat(log).containsExactly("outer-1", "inner-1", "inner-2", "outer-2");
        assertThatThrownBy(() -> inner.add(task("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nullTaskIsRejected() {
        assertThatThrownBy(() -> new PostCommitTasks().add(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task");
    }

    @Test
    void waitComesFromTheEnvironment() {
        assertThat(PostCommitTasks.waitFromEnvironment(Map.of())).isEqualTo(PostCommitTasks.DEFAULT_WAIT);
        assertThat(PostCommitTasks.waitFromEnvironment(Map.of("DB_POST_COMMIT_TIMEOUT_MS", " 250 ")))
                .isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> PostCommitTasks.waitFromEnvironment(Map.of("DB_POST_COMMIT_TIMEOUT_MS", "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DB_POST_COMMIT_TIMEOUT_MS").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> PostCommitTasks.waitFromEnvironment(Map.of("DB_POST_COMMIT_TIMEOUT_MS", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0'");
    }
}
