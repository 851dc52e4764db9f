package io.brickworks.db.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2PostCommitExampleTest {

    @Test
    void theCommittedUpdateReachesTheCacheAndTheRolledBackOneDoesNot() {
        H2PostCommitExample.Outcome outcome = H2PostCommitExample.run();
        assertThat(outcome.afterCommit()).isEqualTo("Grace");
        assertThat(outcome.afterRollback()).isEqualTo("Grace");
        assertThat(outcome.nameInDatabase()).isEqualTo("Grace");
    }
}
