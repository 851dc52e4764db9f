package io.brickworks.spring.scheduling;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.internal.Names;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.common.TemplateParserContext;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * The advice of {@link OnOneReplica}: takes the lock through {@link BrickworksCache#withLock} (which
 * renews, releases and detects loss), runs the method on the calling thread while {@code withLock}'s work
 * stage stays open, and closes that stage when the method (or its future) ends. Each annotated method's
 * attributes are resolved once into a {@link Plan}.
 */
final class OnOneReplicaInterceptor implements MethodInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(OnOneReplica.class);
    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final TemplateParserContext TEMPLATE = new TemplateParserContext();

    private final ConfigurableBeanFactory beanFactory;
    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
    private final Map<Method, Plan> plans = new ConcurrentHashMap<>();
    private volatile BrickworksCache cache;

    OnOneReplicaInterceptor(ConfigurableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** The cache bean, looked up at the first call so that post-processing does not create it early. */
    private BrickworksCache cache() {
        BrickworksCache c = cache;
        if (c == null) {
            c = beanFactory.getBean(BrickworksCache.class);
            cache = c;
        }
        return c;
    }

    /**
     * The resolved attributes of an annotated method, checked.
     *
     * @throws IllegalArgumentException naming the attribute and the value when one is bad, or the method
     *     when its return type cannot be returned by a skipped call
     */
    Plan plan(Method method) {
        return plans.computeIfAbsent(method, this::newPlan);
    }

    private Plan newPlan(Method method) {
        OnOneReplica a = AnnotatedElementUtils.findMergedAnnotation(method, OnOneReplica.class);
        if (a == null) {
            throw new IllegalArgumentException("method " + method + " has no @OnOneReplica");
        }
        Class<?> returns = method.getReturnType();
        if (returns.isPrimitive() && returns != void.class) {
            throw new IllegalArgumentException("@OnOneReplica method " + method + " must return void or an object "
                    + "(a skipped call returns null) but returns " + returns);
        }
        String name = beanFactory.resolveEmbeddedValue(a.name());
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("@OnOneReplica name of " + method + " must not be empty but was '"
                    + a.name() + "'");
        }
        Expression nameExpression = name.contains(TEMPLATE.getExpressionPrefix())
                ? PARSER.parseExpression(name, TEMPLATE) : null;
        if (nameExpression == null && name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("@OnOneReplica name of " + method + " must not contain a colon (:) "
                    + "but was '" + name + "'");
        }
        LockOptions options = LockOptions.of(duration("ttl", a.ttl(), method))
                .withLockAtLeastFor(duration("lockAtLeastFor", a.lockAtLeastFor(), method));
        boolean async = returns == CompletableFuture.class || returns == CompletionStage.class;
        String label = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        return new Plan(label, method, name, nameExpression, options, a.tenant(), async);
    }

    private Duration duration(String attribute, String value, Method method) {
        String resolved = beanFactory.resolveEmbeddedValue(value);
        try {
            return DurationFormatterUtils.detectAndParse(resolved);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("@OnOneReplica " + attribute + " of " + method
                    + " must be a duration such as 30s or PT30S but was '" + value + "'", e);
        }
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> targetClass = invocation.getThis() == null ? null : AopUtils.getTargetClass(invocation.getThis());
        Method method = BridgeMethodResolver.findBridgedMethod(
                AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass));
        Plan plan = plan(method);
        BrickworksCache root = cache();
        BrickworksCache scope = plan.tenant() == OnOneReplica.Tenant.MASTER ? root.masterTenant()
                : root.forTenant(root.currentTenant());
        String name = plan.name(invocation, parameterNames, beanFactory);

        AtomicBoolean lost = new AtomicBoolean();
        CompletableFuture<LockHandle> acquired = new CompletableFuture<>();
        CompletableFuture<Object> done = new CompletableFuture<>();
        LockOptions options = plan.options().withOnLost(handle -> {
            lost.set(true);
            LOG.warn("@OnOneReplica {}: lock {} of tenant {} (fencing token {}) was lost while the method ran; "
                    + "another replica may run it now (the thread is not interrupted, ReplicaLock.isLost() is true)",
                    plan.label(), Names.show(handle.name()), Names.show(handle.tenant()), handle.fencingToken());
        });
        CompletableFuture<LockResult<Object>> result;
        try {
            result = scope.withLock(name, options, handle -> {
                acquired.complete(handle);
                return done;
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@OnOneReplica " + plan.label() + ": " + e.getMessage(), e);
        }
        result.whenComplete((r, error) -> {
            if (error != null) {
                acquired.completeExceptionally(error);
            } else if (!r.acquired()) {
                acquired.complete(null);
            }
        });

        LockHandle handle;
        try {
            handle = acquired.join();
        } catch (CompletionException e) {
            if (plan.async()) {
                return CompletableFuture.failedFuture(e.getCause());
            }
            throw e.getCause();
        }
        if (handle == null) {
            LOG.debug("@OnOneReplica {}: skipped, lock {} of tenant {} is held by another owner", plan.label(),
                    Names.show(name), Names.show(scope.currentTenant()));
            return plan.async() ? CompletableFuture.completedFuture(null) : null;
        }

        Object value;
        ReplicaLock previous = ReplicaLock.bind(new ReplicaLock(handle, lost));
        try {
            value = invocation.proceed();
        } catch (Throwable t) {
            done.completeExceptionally(t);
            awaitRelease(result);
            throw t;
        } finally {
            ReplicaLock.restore(previous);
        }
        if (!plan.async()) {
            done.complete(value);
            awaitRelease(result);
            return value;
        }
        if (value == null) {
            done.complete(null);
        } else {
            ((CompletionStage<?>) value).whenComplete((v, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(v);
                }
            });
        }
        return result.thenApply(LockResult::value);
    }

    /** Waits until withLock has given the lock up; its outcome was already reported (WARN on loss). */
    private static void awaitRelease(CompletableFuture<?> result) {
        try {
            result.join();
        } catch (CompletionException e) {
            // The method's own exception (rethrown by the caller) or a release error withLock logged.
        }
    }

    /** The resolved attributes of one annotated method; {@code label} names it in logs and errors. */
    record Plan(String label, Method method, String name, Expression nameExpression, LockOptions options,
                OnOneReplica.Tenant tenant, boolean async) {

        /** The lock name of one call: the SpEL template evaluated with the call's arguments, or the fixed name. */
        String name(MethodInvocation invocation, ParameterNameDiscoverer parameterNames,
                    ConfigurableBeanFactory beanFactory) {
            if (nameExpression == null) {
                return name;
            }
            MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
                    invocation.getThis(), method,
                    invocation.getArguments(), parameterNames);
            context.setBeanResolver(new BeanFactoryResolver(beanFactory));
            Object value = nameExpression.getValue(context);
            return value == null ? "null" : value.toString();
        }
    }
}
