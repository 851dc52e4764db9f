package io.brickworks.cache.function;

import io.brickworks.cache.internal.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The arguments of one call of a cached function: positional arguments and named ("keyword")
 * arguments, the Java form of Python's {@code *args, **kwargs}. Immutable; elements may be null.
 *
 * <p>The cache key of a call is the SHA-256 of the canonical JSON of
 * {@code {"args": [positional...], "kwargs": {named...}}} with sorted keys, as in the original, so
 * that {@code Arguments.of(1).with("b", 2)} and Python's {@code f(1, b=2)} give the same key.
 *
 * <pre>{@code
 * CachedFunction.AsyncN<String> concat = cache.functions().function("concat", String.class)
 *         .asyncArgs(args -> CompletableFuture.completedFuture(args.get(0) + "-" + args.get("b", 0)));
 * concat.call(Arguments.of(1).with("b", 2));
 * }</pre>
 */
public final class Arguments {

    private static final Arguments NONE = new Arguments(List.of(), Map.of());

    private final List<Object> positional;
    private final Map<String, Object> named;

    private Arguments(List<Object> positional, Map<String, Object> named) {
        this.positional = positional;
        this.named = named;
    }

    /** No arguments. */
    public static Arguments none() {
        return NONE;
    }

    /** The given positional arguments (copied; nulls allowed). */
    public static Arguments of(Object... positional) {
        Names.checkNotNull("positional", positional);
        return positional.length == 0 ? NONE
                : new Arguments(Collections.unmodifiableList(new ArrayList<>(Arrays.asList(positional))), Map.of());
    }

    /** The given positional arguments (copied; nulls allowed). */
    public static Arguments ofList(List<?> positional) {
        Names.checkNotNull("positional", positional);
        return positional.isEmpty() ? NONE : new Arguments(Collections.unmodifiableList(new ArrayList<>(positional)),
                Map.of());
    }

    /**
     * These arguments with the named argument {@code name} set to {@code value} (replacing an earlier
     * value of that name).
     *
     * @throws IllegalArgumentException if {@code name} is null or empty
     */
    public Arguments with(String name, Object value) {
        Names.checkNotNull("name", name);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        TreeMap<String, Object> copy = new TreeMap<>(named);
        copy.put(name, value);
        return new Arguments(positional, Collections.unmodifiableMap(copy));
    }

    /** The positional arguments, unmodifiable. */
    public List<Object> positional() {
        return positional;
    }

    /** The named arguments sorted by name, unmodifiable. */
    public Map<String, Object> named() {
        return named;
    }

    /** The positional argument at {@code index}, cast to the caller's type. */
    @SuppressWarnings("unchecked")
    public <T> T get(int index) {
        if (index < 0 || index >= positional.size()) {
            throw new IndexOutOfBoundsException("index " + index + " of " + positional.size() + " positional arguments");
        }
        return (T) positional.get(index);
    }

    /** The named argument {@code name}, or {@code defaultValue} when it was not given. */
    @SuppressWarnings("unchecked")
    public <T> T get(String name, T defaultValue) {
        return named.containsKey(name) ? (T) named.get(name) : defaultValue;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Arguments a && positional.equals(a.positional) && named.equals(a.named);
    }

    @Override
    public int hashCode() {
        return Objects.hash(positional, named);
    }

    @Override
    public String toString() {
        return "Arguments{args=" + positional + ", kwargs=" + named + "}";
    }
}
