package io.brickworks.cache.redis;

import io.brickworks.cache.metrics.BackendFailure;
import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.spi.CacheBackendException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns Lettuce's failures into {@link CacheBackendException}s whose messages name the Redis address
 * and never the password: every message taken from Lettuce or Redis is scrubbed, and a cause whose
 * chain mentions the password is not attached. Holds the metrics hook that the backend's commands,
 * failures and reconnections are reported to.
 */
final class RedisFaults {

    private static final String HIDDEN = "***";

    private final String address;
    private final String password;
    private final long timeoutMillis;
    private volatile CacheMetrics metrics = CacheMetrics.NONE;

    RedisFaults(String address, String password, Duration timeout) {
        this.address = address;
        this.password = password == null || password.isEmpty() ? null : password;
        this.timeoutMillis = timeout.toMillis();
    }

    String address() {
        return address;
    }

    CacheMetrics metrics() {
        return metrics;
    }

    void bindMetrics(CacheMetrics metrics) {
        this.metrics = metrics;
    }

    /** Why a command failed, from the exception its future failed with (a translated one included). */
    static BackendFailure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisCommandTimeoutException) {
                return BackendFailure.TIMEOUT;
            }
            if (t instanceof RedisCommandExecutionException) {
                return BackendFailure.REFUSED;
            }
        }
        return BackendFailure.UNREACHABLE;
    }

    /** {@code text} with every occurrence of the password replaced. */
    String redact(String text) {
        if (text == null || password == null) {
            return text;
        }
        return text.replace(password, HIDDEN);
    }

    /** The exception a command's future fails with, for any failure {@code error}. */
    CacheBackendException translate(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof CacheBackendException cbe) {
            return cbe;
        }
        String reason;
        if (isUnsent(e)) {
            reason = "the connection dropped before the command was sent; it was not sent";
        } else if (e instanceof RedisCommandTimeoutException) {
            reason = "no answer within the command timeout of " + timeoutMillis + " ms (the command may or may not "
                    + "have been applied)";
        } else if (e instanceof RedisCommandExecutionException) {
            reason = "the command was refused: " + redact(e.getMessage());
        } else if (e instanceof RedisConnectionException) {
            reason = "unreachable: " + redact(e.getMessage());
        } else if (e instanceof CancellationException || isConnectionLoss(e)) {
            reason = "the connection was lost before the answer came (the command may or may not have been "
                    + "applied; it is never sent again): " + redact(String.valueOf(e.getMessage()));
        } else {
            reason = e.getClass().getSimpleName() + ": " + redact(e.getMessage());
        }
        return new CacheBackendException(prefix() + reason, safeCause(e));
    }

    /** A command could not be sent because no connection came up within the command timeout. */
    CacheBackendException notConnected(Throwable lastFailure) {
        Throwable e = lastFailure == null ? null : unwrap(lastFailure);
        String why = e == null ? "" : ": " + redact(rootMessage(e));
        return new CacheBackendException(prefix() + "not connected; no connection within the command timeout of "
                + timeoutMillis + " ms, the command was not sent" + why, safeCause(e));
    }

    /** A command was not sent because the last attempt to reconnect failed. */
    CacheBackendException unreachable(Throwable lastFailure) {
        Throwable e = lastFailure == null ? null : unwrap(lastFailure);
        String why = e == null ? "" : " (the last attempt to reconnect failed: " + redact(rootMessage(e)) + ")";
        return new CacheBackendException(prefix() + "unreachable" + why + "; reconnecting in the background, the "
                + "command was not sent", safeCause(e));
    }

    /** Building the backend failed. */
    CacheBackendException cannotConnect(Throwable error) {
        Throwable e = unwrap(error);
        return new CacheBackendException("cannot connect to Redis at " + address + ": " + redact(rootMessage(e))
                + (untrustedCertificate(e) ? UNTRUSTED_HINT : ""), safeCause(e));
    }

    private static final String UNTRUSTED_HINT = " [TLS: the server's certificate is not trusted; give the PEM file of "
            + "the CA that signed it as redisSslCaCertificate (REDIS_SSL_CA_CERT), or add that CA to the JDK's trust store]";

    /**
     * Whether the chain of {@code e}, or of an exception suppressed in it (a cluster client tries
     * every seed), shows a TLS handshake that failed because no trusted CA signed the certificate.
     */
    private static boolean untrustedCertificate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s != t && untrustedCertificate(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    CacheBackendException closed() {
        return new CacheBackendException(prefix() + "this Redis backend is closed");
    }

    private String prefix() {
        return "Redis at " + address + ": ";
    }

    /** Whether {@code e} says the command never left this process (turned away, or written to a closed channel). */
    static boolean isUnsent(Throwable e) {
        if (e instanceof ClosedChannelException) {
            return true;
        }
        return e instanceof RedisException && e.getMessage() != null
                && e.getMessage().contains("Commands are rejected");
    }

    private static boolean isConnectionLoss(Throwable e) {
        if (!(e instanceof RedisException) || e.getMessage() == null) {
            return false;
        }
        String m = e.getMessage();
        return m.contains("Connection closed") || m.contains("disconnected") || m.contains("not connected")
                || m.contains("Connection reset");
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The message of the innermost cause with one, prefixed by the outer message when they differ. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = String.valueOf(e.getMessage());
        if (root == e || root.getMessage() == null || outer.contains(root.getMessage())) {
            return outer;
        }
        return outer + " (" + root.getMessage() + ")";
    }

    /** {@code e} when no message in its chain contains the password, else {@code null}. */
    private Throwable safeCause(Throwable e) {
        if (e == null || password == null) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains(password)) {
                return null;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s.getMessage() != null && s.getMessage().contains(password)) {
                    return null;
                }
            }
        }
        return e;
    }
}
