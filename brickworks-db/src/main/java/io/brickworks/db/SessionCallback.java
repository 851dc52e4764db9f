package io.brickworks.db;

/**
 * Work done in a database session that returns a value; see {@link Db#inSession(SessionCallback)}.
 *
 * @param <T> the result
 * @param <X> the checked exception the work may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface SessionCallback<T, X extends Exception> {

    /** Does the work with {@code session}, which is valid only until this method returns. */
    T run(DbSession session) throws X;
}
