package io.brickworks.cache.function.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.brickworks.cache.function.ResultType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The settled options of one cached function.
 *
 * @param expire null for the cache's default expiry
 * @param executor null to invoke where the miss is found
 * @param mapper the mapper for results and arguments (already a private copy)
 * @param javaAllowed null for JSON results
 * @param parameterNames names of positional parameters for messages; empty when unknown
 */
record FunctionOptions<R>(String name, ResultType<R> resultType, Duration expire, boolean masterTenant,
                          boolean cacheNulls, double earlyRefreshBeta, Duration computeLease, Duration maxWait,
                          Executor executor, ObjectMapper mapper, Set<Class<?>> javaAllowed,
                          List<String> parameterNames) {
}
