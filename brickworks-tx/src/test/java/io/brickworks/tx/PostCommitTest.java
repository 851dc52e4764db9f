package io.brickworks.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PostCommitTest {

    @Test
    void registeringOutsideATransactionSaysHowToOpenOne() {
        assertThat(PostCommit.isTransactionActive()).isFalse();
        assertThatThrownBy(() -> PostCommit.register(() -> { }))
                .isInstanceOf(NoTransactionException.class)
                .hasMessageContaining("none is active on thread '" + Thread.currentThread().getName() + "'")
                .hasMessageContaining("TestTransactions.inTransaction");
    }

    @Test
    void nullCallbackIsRejectedBeforeAnythingIsRegistered() {
        List<String> ran = new CopyOnWriteArrayList<>();
        TestTransactions.inTransaction(() -> {
            assertThatThrownBy(() -> PostCommit.register((Runnable) null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callback");
            assertThatThrownBy(() -> PostCommit.register((AsyncCallback) null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callback");
            PostCommit.register(() -> ran.add("only"));
        });
        assertThat(ran).containsExactly("only");
    }

    @Test
    void plainAndAsyncCallbacksRunInOrderAfterCommit() {
        List<String> ran = new CopyOnWriteArrayList<>();
        TestTransactions.inTransaction(() -> {
            assertThat(PostCommit.isTransactionActive()).isTrue();
            PostCommit.register(() -> ran.add("plain"));
            PostCommit.register(() -> CompletableFuture.runAsync(() -> ran.add("async")));
            PostCommit.register(() -> ran.add("last"));
            assertThat(ran).isEmpty();
        });
        assertThat(ran).containsExactly("plain", "async", "last");
    }

    @Test
    void afterCommitOrNowRunsAtOnceWithoutTransaction() {
        CompletableFuture<String> f = PostCommit.afterCommitOrNow(() -> CompletableFuture.completedFuture("now"));
        assertThat(f.join()).isEqualTo("now");
    }

    @Test
    void afterCommitOrNowWaitsForTheCommit() {
        List<CompletableFuture<String>> futures = new CopyOnWriteArrayList<>();
        TestTransactions.inTransaction(() -> {
            futures.add(PostCommit.afterCommitOrNow(() -> CompletableFuture.completedFuture("later")));
            assertThat(futures.get(0)).isNotDone();
        });
        assertThat(futures.get(0).join()).isEqualTo("later");
    }

    @Test
    void afterCommitOrNowFailsWithRolledBackWhenTheTransactionRollsBack() {
        List<String> ran = new CopyOnWriteArrayList<>();
        List<CompletableFuture<String>> futures = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> TestTransactions.inTransaction(() -> {
            futures.add(PostCommit.afterCommitOrNow(() -> {
                ran.add("ran");
                return CompletableFuture.completedFuture("never");
            }));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(ran).isEmpty();
        assertThat(futures.get(0)).isCancelled();
        assertThatThrownBy(() -> futures.get(0).join()).isInstanceOf(TransactionRolledBackException.class);
    }

    @Test
    void afterCommitOrNowPassesTheActionsFailureOn() {
        CompletableFuture<String> f = PostCommit.afterCommitOrNow(() -> {
            throw new IllegalStateException("action failed");
        });
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).hasRootCauseMessage("action failed");
    }
}
