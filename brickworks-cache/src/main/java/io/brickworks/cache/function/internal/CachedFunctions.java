package io.brickworks.cache.function.internal;

import io.brickworks.cache.function.Arguments;
import io.brickworks.cache.function.CachedFunction;
import io.brickworks.cache.function.CachedFunctionBuilder.Function3;
import io.brickworks.cache.function.FunctionCacheStats;
import io.brickworks.cache.internal.Names;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/** The callable forms of a cached function, each a thin adapter over one {@link FunctionEngine}. */
final class CachedFunctions {

    private CachedFunctions() {
    }

    /** What every form shares: the engine and how the function is invoked. */
    abstract static class Base<R> implements CachedFunction {
        final FunctionEngine<R> engine;

        Base(FunctionEngine<R> engine) {
            this.engine = engine;
        }

        @Override
        public String name() {
            return engine.name();
        }

        @Override
        public CompletableFuture<Long> cacheClear() {
            return engine.clear();
        }

        @Override
        public CompletableFuture<Boolean> invalidate(Arguments arguments) {
            Names.checkNotNull("arguments", arguments);
            return engine.invalidate(arguments);
        }

        @Override
        public FunctionCacheStats stats() {
            return engine.stats();
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "{" + engine.name() + " -> " + engine.options().resultType() + "}";
        }
    }

    /**
     * An async form: a miss invokes the function on the calling thread when the miss is known there,
     * else on the function's executor, by default the cache's.
     */
    static class Async<R> extends Base<R> implements CachedFunction.AsyncN<R> {
        private final Function<Arguments, ? extends CompletionStage<R>> function;

        Async(FunctionEngine<R> engine, Function<Arguments, ? extends CompletionStage<R>> function) {
            super(engine);
            this.function = function;
        }

        @Override
        public CompletableFuture<R> call(Arguments arguments) {
            Names.checkNotNull("arguments", arguments);
            return engine.call(arguments, function, engine.options().executor());
        }
    }

    /**
     * A synchronous form: a miss runs the function on the calling thread, which blocks; an early
     * refresh runs on the function's executor, by default the cache's.
     */
    static class Sync<R> extends Base<R> implements CachedFunction.SyncN<R> {
        private final Function<Arguments, ? extends CompletionStage<R>> function;

        Sync(FunctionEngine<R> engine, Function<Arguments, ? extends R> function) {
            super(engine);
            this.function = args -> CompletableFuture.completedFuture(function.apply(args));
        }

        @Override
        public R call(Arguments arguments) {
            Names.checkNotNull("arguments", arguments);
            CallerRuns caller = new CallerRuns();
            return caller.await(engine.call(arguments, function, caller));
        }
    }

    /** The per-call-loader form: the same engine call, with the loader as the function. */
    static final class Loading<R> extends Base<R> implements CachedFunction.Loading<R> {

        Loading(FunctionEngine<R> engine) {
            super(engine);
        }

        @Override
        public CompletableFuture<R> get(Arguments arguments, Supplier<? extends CompletionStage<R>> loader) {
            Names.checkNotNull("arguments", arguments);
            Names.checkNotNull("loader", loader);
            return engine.call(arguments, args -> loader.get(), engine.options().executor());
        }

        @Override
        public R load(Arguments arguments, Supplier<? extends R> loader) {
            Names.checkNotNull("arguments", arguments);
            Names.checkNotNull("loader", loader);
            CallerRuns caller = new CallerRuns();
            return caller.await(engine.call(arguments, args -> CompletableFuture.completedFuture(loader.get()), caller));
        }

        @Override
        public CompletableFuture<R> getIfPresent(Arguments arguments) {
            Names.checkNotNull("arguments", arguments);
            return engine.peek(arguments);
        }

        @Override
        public CompletableFuture<io.brickworks.cache.function.CachedResults<R>> getAllIfPresent(
                java.util.List<Arguments> arguments) {
            Names.checkNotNull("arguments", arguments);
            return engine.peekMany(arguments);
        }

        @Override
        public CompletableFuture<Boolean> put(Arguments arguments, R value) {
            Names.checkNotNull("arguments", arguments);
            return engine.put(arguments, value);
        }
    }

    static final class Async1<A, R> extends Async<R> implements CachedFunction.Async1<A, R> {
        Async1(FunctionEngine<R> engine, Function<? super A, ? extends CompletionStage<R>> f) {
            super(engine, args -> f.apply(args.get(0)));
        }

        @Override
        public CompletableFuture<R> apply(A a) {
            return call(Arguments.of(a));
        }
    }

    static final class Async2<A, B, R> extends Async<R> implements CachedFunction.Async2<A, B, R> {
        Async2(FunctionEngine<R> engine, BiFunction<? super A, ? super B, ? extends CompletionStage<R>> f) {
            super(engine, args -> f.apply(args.get(0), args.get(1)));
        }

        @Override
        public CompletableFuture<R> apply(A a, B b) {
            return call(Arguments.of(a, b));
        }
    }

    static final class Async3<A, B, C, R> extends Async<R> implements CachedFunction.Async3<A, B, C, R> {
        Async3(FunctionEngine<R> engine, Function3<? super A, ? super B, ? super C, ? extends CompletionStage<R>> f) {
            super(engine, args -> f.apply(args.get(0), args.get(1), args.get(2)));
        }

        @Override
        public CompletableFuture<R> apply(A a, B b, C c) {
            return call(Arguments.of(a, b, c));
        }
    }

    static final class Sync1<A, R> extends Sync<R> implements CachedFunction.Sync1<A, R> {
        Sync1(FunctionEngine<R> engine, Function<? super A, ? extends R> f) {
            super(engine, args -> f.apply(args.get(0)));
        }

        @Override
        public R apply(A a) {
            return call(Arguments.of(a));
        }
    }

    static final class Sync2<A, B, R> extends Sync<R> implements CachedFunction.Sync2<A, B, R> {
        Sync2(FunctionEngine<R> engine, BiFunction<? super A, ? super B, ? extends R> f) {
            super(engine, args -> f.apply(args.get(0), args.get(1)));
        }

        @Override
        public R apply(A a, B b) {
            return call(Arguments.of(a, b));
        }
    }

    static final class Sync3<A, B, C, R> extends Sync<R> implements CachedFunction.Sync3<A, B, C, R> {
        Sync3(FunctionEngine<R> engine, Function3<? super A, ? super B, ? super C, ? extends R> f) {
            super(engine, args -> f.apply(args.get(0), args.get(1), args.get(2)));
        }

        @Override
        public R apply(A a, B b, C c) {
            return call(Arguments.of(a, b, c));
        }
    }
}
