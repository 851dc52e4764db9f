package io.brickworks.cache.function.internal;

import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.function.CachedFunctionBuilder;
import io.brickworks.cache.function.FunctionCache;
import io.brickworks.cache.function.ResultType;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.internal.Names;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The function cache of one cache view. */
public final class DefaultFunctionCache implements FunctionCache {

    private final DefaultBrickworksCache cache;

    public DefaultFunctionCache(DefaultBrickworksCache cache) {
        this.cache = cache;
    }

    @Override
    public <R> CachedFunctionBuilder<R> function(String name, Class<R> resultType) {
        Names.checkKey("name", name);
        Names.checkNotNull("resultType", resultType);
        return new DefaultCachedFunctionBuilder<>(cache, name, ResultType.of(resultType));
    }

    @Override
    public <R> CachedFunctionBuilder<R> function(String name, ResultType<R> resultType) {
        return new DefaultCachedFunctionBuilder<>(cache, name, resultType);
    }

    /** A builder for the proxy, which knows the parameter names. */
    DefaultCachedFunctionBuilder<Object> builder(String name, ResultType<?> resultType) {
        @SuppressWarnings("unchecked")
        ResultType<Object> type = (ResultType<Object>) resultType;
        return new DefaultCachedFunctionBuilder<>(cache, name, type);
    }

    @Override
    public <T> T cached(Class<T> type, T target) {
        return CachedProxy.create(this, type, target);
    }

    @Override
    public Map<String, CachedFunction> cachedFunctions(Object proxy) {
        Names.checkNotNull("proxy", proxy);
        if (Proxy.isProxyClass(proxy.getClass()) && Proxy.getInvocationHandler(proxy) instanceof CachedProxy p) {
            return p.functions();
        }
        throw new IllegalArgumentException("proxy must be made by FunctionCache.cached(...) but was a "
                + proxy.getClass().getName());
    }

    @Override
    public CompletableFuture<Long> cacheClear(String name) {
        Names.check("name", name);
        return cache.deleteKeysByIndex(name, FunctionEngine.NAMESPACE);
    }
}
