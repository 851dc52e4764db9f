package io.brickworks.spring.boot;

/**
 * Turns a Spring cache key that the built-in rules cannot represent faithfully (or that the
 * application wants represented otherwise) into a value they can: a string, a number, a record, a
 * list... The cache key is then made from the key's class and the returned value, so keys of two
 * classes never share an entry.
 *
 * <p>Contract: for keys {@code a} and {@code b} of one class, {@code convert(a)} and {@code convert(b)}
 * must be equal exactly when {@code a.equals(b)}; the returned value is represented by the built-in
 * rules (no converter applies to it again). Return {@code null} for a key this converter does not
 * handle. Converters are asked in order for every key and every value inside a key (a list's
 * elements, a record's components...), before the built-in rules. Must be thread-safe.
 *
 * <p>With Spring Boot, declare converters as beans; with {@link BrickworksCacheManager#builder}, pass
 * them to {@link BrickworksCacheManager.Builder#keyConverters}.
 *
 * <pre>{@code
 * // a @Bean method of the application
 * KeyConverter sessionKeys() {
 *     return key -> key instanceof Session s ? s.id() : null;   // sessions are equal by id
 * }
 * }</pre>
 */
@FunctionalInterface
public interface KeyConverter {

    /**
     * The value that stands for {@code key}, or {@code null} when this converter does not handle it.
     *
     * @param key a key or a value inside one, never null
     */
    Object convert(Object key);
}
