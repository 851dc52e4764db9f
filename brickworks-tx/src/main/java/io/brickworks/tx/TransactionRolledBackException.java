package io.brickworks.tx;

import java.util.concurrent.CancellationException;

/**
 * Completes the future of work deferred with {@link PostCommit#afterCommitOrNow} when the
 * transaction it waited for rolled back (or its block threw), so the work never ran. It is a
 * {@link CancellationException}: {@code future.isCancelled()} is {@code true} and {@code join()}
 * throws it as it is.
 */
public class TransactionRolledBackException extends CancellationException {

    private static final long serialVersionUID = 1L;

    /** An exception with the given message. */
    public TransactionRolledBackException(String message) {
        super(message);
    }
}
