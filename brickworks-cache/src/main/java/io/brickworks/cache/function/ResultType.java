package io.brickworks.cache.function;

import io.brickworks.cache.internal.Names;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;

/**
 * The declared result type of a cached function, including generic type arguments, against which
 * cached JSON is decoded. For a plain class use {@link #of(Class)}; for a generic type subclass it
 * anonymously (a type token):
 *
 * <pre>{@code
 * ResultType<List<User>> users = new ResultType<>() {};
 * ResultType<Map<String, Integer>> counts = new ResultType<>() {};
 * }</pre>
 *
 * <p>The type must be fully known: type variables and wildcards are rejected when the token is made.
 *
 * @param <T> the result type
 */
public abstract class ResultType<T> {

    private final Type type;

    /**
     * Captures the type argument of the anonymous subclass.
     *
     * @throws IllegalArgumentException if the subclass does not give a concrete type argument
     */
    protected ResultType() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType p) || p.getRawType() != ResultType.class) {
            throw new IllegalArgumentException("a ResultType must be created as an anonymous subclass with a type "
                    + "argument, e.g. new ResultType<List<User>>() {}, but was " + getClass().getName());
        }
        this.type = checkConcrete(p.getActualTypeArguments()[0]);
    }

    private ResultType(Type type) {
        this.type = checkConcrete(type);
    }

    /** The result type {@code type} (a plain class; for generic types use an anonymous subclass). */
    public static <T> ResultType<T> of(Class<T> type) {
        Names.checkNotNull("resultType", type);
        return new ResultType<T>(type) { };
    }

    /**
     * The result type {@code type} from reflection (for example a method's generic return type).
     *
     * @throws IllegalArgumentException if {@code type} has type variables or wildcards
     */
    public static ResultType<?> of(Type type) {
        Names.checkNotNull("resultType", type);
        return new ResultType<Object>(type) { };
    }

    /** The full type, with its type arguments. */
    public Type type() {
        return type;
    }

    /** The raw class of the type ({@code List} for {@code List<User>}). */
    public Class<?> rawClass() {
        return raw(type);
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (t instanceof GenericArrayType g) {
            return java.lang.reflect.Array.newInstance(raw(g.getGenericComponentType()), 0).getClass();
        }
        throw new IllegalArgumentException("not a concrete type: " + t);
    }

    private static Type checkConcrete(Type t) {
        if (t instanceof TypeVariable<?> || t instanceof WildcardType) {
            throw new IllegalArgumentException("resultType must be a concrete type but was " + t.getTypeName());
        }
        if (t instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                if (arg instanceof WildcardType w && w.getLowerBounds().length == 0
                        && w.getUpperBounds().length == 1 && w.getUpperBounds()[0] != Object.class) {
                    checkConcrete(w.getUpperBounds()[0]);
                } else {
                    checkConcrete(arg);
                }
            }
        } else if (t instanceof GenericArrayType g) {
            checkConcrete(g.getGenericComponentType());
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultType<?> r && type.equals(r.type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return type.getTypeName();
    }
}
