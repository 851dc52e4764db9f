package io.brickworks.cache.function.internal;

import io.brickworks.cache.function.Arguments;
import io.brickworks.cache.function.Cached;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.function.ResultType;
import io.brickworks.cache.internal.Names;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** The invocation handler of {@link io.brickworks.cache.function.FunctionCache#cached}. */
final class CachedProxy implements InvocationHandler {

    private final Object target;
    private final Map<Method, CachedFunction> byMethod;
    private final Map<String, CachedFunction> byName;

    private CachedProxy(Object target, Map<Method, CachedFunction> byMethod) {
        this.target = target;
        this.byMethod = byMethod;
        Map<String, CachedFunction> names = new LinkedHashMap<>();
        byMethod.values().forEach(f -> names.put(f.name(), f));
        this.byName = Collections.unmodifiableMap(names);
    }

    static <T> T create(DefaultFunctionCache functions, Class<T> type, T target) {
        Names.checkNotNull("type", type);
        Names.checkNotNull("target", target);
        if (!type.isInterface()) {
            throw new IllegalArgumentException("type must be an interface but was " + type.getName());
        }
        Map<Method, CachedFunction> byMethod = new HashMap<>();
        Map<String, Method> seen = new HashMap<>();
        for (Method method : type.getMethods()) {
            Cached cached = method.getAnnotation(Cached.class);
            if (cached == null) {
                continue;
            }
            Method other = seen.put(cached.name(), method);
            if (other != null) {
                throw new IllegalArgumentException("@Cached name '" + cached.name() + "' is used by both "
                        + describe(other) + " and " + describe(method));
            }
            byMethod.put(method, wrap(functions, method, cached, target));
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException("type " + type.getName() + " is not public: make the interface public, "
                    + "the cached proxy calls its methods on the target from outside its package");
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new CachedProxy(target, Map.copyOf(byMethod)));
        return type.cast(proxy);
    }

    private static String describe(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }

    private static CachedFunction wrap(DefaultFunctionCache functions, Method method, Cached cached, Object target) {
        String where = "@Cached on " + describe(method);
        if (method.getReturnType() == void.class) {
            throw new IllegalArgumentException(where + ": the method returns void, there is nothing to cache");
        }
        boolean async = method.getReturnType() == CompletableFuture.class
                || method.getReturnType() == CompletionStage.class;
        Type resultType = async ? futureType(method, where) : method.getGenericReturnType();
        DefaultCachedFunctionBuilder<Object> builder;
        try {
            builder = functions.builder(cached.name(), ResultType.of(resultType));
            if (cached.expire() != 0) {
                if (cached.expire() < 0) {
                    throw new IllegalArgumentException("expire must be positive but was " + cached.expire());
                }
                builder.expire(duration("expire", cached.expire(), cached.expireUnit()));
            }
            if (cached.masterTenant()) {
                builder.masterTenant();
            }
            builder.cacheNulls(cached.cacheNulls()).earlyRefresh(cached.earlyRefresh());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        for (Parameter p : method.getParameters()) {
            names.add(p.getName());
        }
        builder.parameterNames(names);
        if (async) {
            return builder.asyncArgs(args -> (CompletionStage<Object>) invokeTarget(method, target, args));
        }
        return builder.syncArgs(args -> invokeTarget(method, target, args));
    }

    private static Type futureType(Method method, String where) {
        Type generic = method.getGenericReturnType();
        if (generic instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[0];
        }
        throw new IllegalArgumentException(where + ": the future's result type must be given, e.g. "
                + "CompletableFuture<User>, but was the raw " + generic.getTypeName());
    }

    private static Object invokeTarget(Method method, Object target, Arguments args) {
        try {
            return method.invoke(target, args.positional().toArray());
        } catch (InvocationTargetException e) {
            throw CachedProxy.<RuntimeException>sneaky(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + describe(method) + " on " + target.getClass().getName(), e);
        }
    }

    /** Rethrows a checked exception of the target unchanged, so the proxy can declare it. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    Map<String, CachedFunction> functions() {
        return byName;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "Cached(" + target + ")";
                default -> method.invoke(target, args);
            };
        }
        CachedFunction function = byMethod.get(method);
        Arguments arguments = args == null ? Arguments.none() : Arguments.of(args);
        if (function == null) {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
        if (function instanceof CachedFunction.AsyncN<?> async) {
            return async.call(arguments);
        }
        try {
            return ((CachedFunction.SyncN<?>) function).call(arguments);
        } catch (CompletionException e) {
            throw e.getCause() != null ? e.getCause() : e;
        }
    }

    @Override
    public String toString() {
        return "CachedProxy" + Arrays.toString(byName.keySet().toArray());
    }

    /** {@code amount} of {@code unit} as a Duration; an amount too large for one is an IllegalArgumentException. */
    private static Duration duration(String argument, long amount, java.util.concurrent.TimeUnit unit) {
        try {
            return Duration.of(amount, unit.toChronoUnit());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(argument + " must be at most " + Names.MAX_DURATION.toDays()
                    + " days but was " + amount + " " + unit, e);
        }
    }
}
