package io.brickworks.db;

/**
 * Work done in a database session that returns nothing; see {@link Db#useSession(SessionConsumer)}.
 *
 * @param <X> the checked exception the work may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface SessionConsumer<X extends Exception> {

    /** Does the work with {@code session}, which is valid only until this method returns. */
    void accept(DbSession session) throws X;
}
