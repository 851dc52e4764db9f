package io.brickworks.cache.function.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.brickworks.cache.function.Arguments;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.function.CachedFunctionBuilder;
import io.brickworks.cache.function.ResultType;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.internal.Names;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Collects the options of a cached function and builds its engine and callable form. */
public final class DefaultCachedFunctionBuilder<R> implements CachedFunctionBuilder<R> {

    /** The mapper used when none is given: JSON time types, strict decoding. Shared, immutable use. */
    static final ObjectMapper DEFAULT_MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    private static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
    private static final Duration MIN_LEASE = Duration.ofMillis(100);

    private final DefaultBrickworksCache cache;
    private final String name;
    private final ResultType<R> resultType;
    private Duration expire;
    private boolean masterTenant;
    private boolean cacheNulls;
    private double earlyRefreshBeta;
    private Duration computeLease = DEFAULT_LEASE;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private Executor executor;
    private ObjectMapper mapper = DEFAULT_MAPPER;
    private Set<Class<?>> javaAllowed;
    private List<String> parameterNames = List.of();

    DefaultCachedFunctionBuilder(DefaultBrickworksCache cache, String name, ResultType<R> resultType) {
        this.cache = cache;
        this.name = Names.checkKey("name", name);   // the first part of the entry key <name>-<sha256>
        this.resultType = Names.checkNotNull("resultType", resultType);
    }

    @Override
    public CachedFunctionBuilder<R> expire(Duration expire) {
        this.expire = Names.checkExpire("expire", expire);
        return this;
    }

    @Override
    public CachedFunctionBuilder<R> masterTenant() {
        this.masterTenant = true;
        return this;
    }

    @Override
    public CachedFunctionBuilder<R> cacheNulls(boolean cacheNulls) {
        this.cacheNulls = cacheNulls;
        return this;
    }

    @Override
    public CachedFunctionBuilder<R> earlyRefresh(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("earlyRefresh beta must be 0 or more and finite but was " + beta);
        }
        this.earlyRefreshBeta = beta;
        return this;
    }

    @Override
    public CachedFunctionBuilder<R> computeLease(Duration lease) {
        Names.checkExpire("computeLease", lease);
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException("computeLease must be at least 100 ms but was " + lease);
        }
        this.computeLease = lease;
        return this;
    }

    @Override
    public CachedFunctionBuilder<R> maxWait(Duration maxWait) {
        this.maxWait = Names.checkExpire("maxWait", maxWait);
        return this;
    }

    @Override
    public CachedFunctionBuilder<R> executor(Executor executor) {
        this.executor = Names.checkNotNull("executor", executor);
        return this;
    }

    @Override
    public CachedFunctionBuilder<R> jsonMapper(ObjectMapper mapper) {
        this.mapper = Names.checkNotNull("jsonMapper", mapper).copy();
        return this;
    }

    @Override
    public CachedFunctionBuilder<R> javaSerialization(Class<?>... allowed) {
        Names.checkNotNull("allowed", allowed);
        if (allowed.length == 0) {
            throw new IllegalArgumentException("allowed must name at least one class");
        }
        Set<Class<?>> set = new LinkedHashSet<>();
        for (Class<?> c : allowed) {
            set.add(Names.checkNotNull("allowed (an element)", c));
        }
        this.javaAllowed = Set.copyOf(set);
        return this;
    }

    /** Names of the positional parameters, for messages about unserializable arguments. */
    DefaultCachedFunctionBuilder<R> parameterNames(List<String> names) {
        this.parameterNames = List.copyOf(names);
        return this;
    }

    private FunctionEngine<R> engine(Object function) {
        Names.checkNotNull("function", function);
        return engine();
    }

    private FunctionEngine<R> engine() {
        FunctionOptions<R> options = new FunctionOptions<>(name, resultType, expire, masterTenant, cacheNulls,
                earlyRefreshBeta, computeLease, maxWait, executor, mapper, javaAllowed, parameterNames);
        cache.runtime().registerFunction(name, options.signature());
        DefaultBrickworksCache view = masterTenant ? (DefaultBrickworksCache) cache.masterTenant() : cache;
        FunctionEngine<R> engine = new FunctionEngine<>(options, view);
        cache.functionCreated(name, engine::stats);
        return engine;
    }

    @Override
    public <A> CachedFunction.Async1<A, R> async(Function<? super A, ? extends CompletionStage<R>> function) {
        return new CachedFunctions.Async1<>(engine(function), function);
    }

    @Override
    public <A, B> CachedFunction.Async2<A, B, R> async(
            BiFunction<? super A, ? super B, ? extends CompletionStage<R>> function) {
        return new CachedFunctions.Async2<>(engine(function), function);
    }

    @Override
    public <A, B, C> CachedFunction.Async3<A, B, C, R> async(
            Function3<? super A, ? super B, ? super C, ? extends CompletionStage<R>> function) {
        return new CachedFunctions.Async3<>(engine(function), function);
    }

    @Override
    public CachedFunction.AsyncN<R> asyncArgs(Function<Arguments, ? extends CompletionStage<R>> function) {
        return new CachedFunctions.Async<>(engine(function), function);
    }

    @Override
    public <A> CachedFunction.Sync1<A, R> sync(Function<? super A, ? extends R> function) {
        return new CachedFunctions.Sync1<>(engine(function), function);
    }

    @Override
    public <A, B> CachedFunction.Sync2<A, B, R> sync(BiFunction<? super A, ? super B, ? extends R> function) {
        return new CachedFunctions.Sync2<>(engine(function), function);
    }

    @Override
    public <A, B, C> CachedFunction.Sync3<A, B, C, R> sync(
            Function3<? super A, ? super B, ? super C, ? extends R> function) {
        return new CachedFunctions.Sync3<>(engine(function), function);
    }

    @Override
    public CachedFunction.Loading<R> loading() {
        return new CachedFunctions.Loading<>(engine());
    }

    @Override
    public CachedFunction.SyncN<R> syncArgs(Function<Arguments, ? extends R> function) {
        return new CachedFunctions.Sync<>(engine(function), function);
    }
}
