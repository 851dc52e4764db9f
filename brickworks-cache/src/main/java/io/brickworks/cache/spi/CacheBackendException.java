package io.brickworks.cache.spi;

/**
 * A backend could not carry out a command: the store is unreachable, did not answer within the
 * command timeout, or refused the command. The message names the store (for Redis, its address)
 * and never contains a password.
 */
public class CacheBackendException extends RuntimeException {

    public CacheBackendException(String message) {
        super(message);
    }

    public CacheBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
