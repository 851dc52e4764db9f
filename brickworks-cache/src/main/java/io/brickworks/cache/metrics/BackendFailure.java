package io.brickworks.cache.metrics;

/** Why a backend command failed. */
public enum BackendFailure {
    /** No answer within the command timeout. */
    TIMEOUT,
    /** The server could not be reached, or the connection dropped before the answer. */
    UNREACHABLE,
    /** The server answered with an error (wrong type, no permission, out of memory, ...). */
    REFUSED
}
