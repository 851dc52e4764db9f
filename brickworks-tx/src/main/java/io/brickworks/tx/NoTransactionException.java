package io.brickworks.tx;

/**
 * Thrown when a post-commit callback is registered while no transaction is active on the calling
 * thread. The message says how to open one with the transaction systems found on the class path.
 */
public class NoTransactionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** An exception with the given message. */
    public NoTransactionException(String message) {
        super(message);
    }
}
