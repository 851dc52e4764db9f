package io.brickworks.db;

import io.brickworks.tx.spi.PostCommitTasks;
import java.sql.Savepoint;

/**
 * One open scope of a session on a thread: the outermost one ({@code savepoint == null}) or a nested
 * one (a savepoint). {@code parent} is the enclosing scope of the same session; {@code previousOnThread}
 * is the binding to restore when the scope ends (possibly another database's session).
 */
record SessionFrame(DbSession session, SessionFrame parent, Savepoint savepoint, SessionFrame previousOnThread,
        PostCommitTasks tasks) {

    int level() {
        return parent == null ? 0 : parent.level() + 1;
    }
}
