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

    /**
     * The options that decide what the function's entries mean and how they are shared, as text: two
     * registrations of one name on one cache must agree on them. The executor, the JSON mapper and the
     * parameter names are left out (they cannot be compared, or do not change the entries).
     */
    String signature() {
        String serialization = javaAllowed == null ? "JSON"
                : "Java " + javaAllowed.stream().map(Class::getName).sorted().toList();
        return "result " + resultType.type().getTypeName() + ", expire " + (expire == null ? "default" : expire)
                + (masterTenant ? ", master tenant" : "") + ", cacheNulls " + cacheNulls + ", earlyRefresh "
                + earlyRefreshBeta + ", computeLease " + computeLease + ", maxWait " + maxWait + ", " + serialization;
    }
}
