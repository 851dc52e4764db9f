package io.brickworks.spring.scheduling;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Proxies every bean that has an {@link OnOneReplica} method with the lock's advice, and checks each such
 * method's attributes when the bean is created (a bad value fails the context's start, not the first run).
 *
 * <p>It adds its advice to a proxy that exists already (say for {@code @Transactional}) ahead of the other
 * advice, so the lock is taken before the transaction begins and released after it ended. It runs before
 * Spring's {@code @Scheduled} processing, which then schedules the proxy's method.
 */
public class OnOneReplicaPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private OnOneReplicaInterceptor interceptor;

    public OnOneReplicaPostProcessor() {
        setBeforeExistingAdvisors(true);
        setOrder(Ordered.LOWEST_PRECEDENCE - 1);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        if (!(beanFactory instanceof ConfigurableBeanFactory configurable)) {
            throw new IllegalArgumentException("@OnOneReplica needs a ConfigurableBeanFactory but got " + beanFactory);
        }
        interceptor = new OnOneReplicaInterceptor(configurable);
        this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, OnOneReplica.class, true),
                interceptor);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (isEligible(bean, beanName)) {
            ReflectionUtils.doWithMethods(AopUtils.getTargetClass(bean), interceptor::plan,
                    method -> AnnotatedElementUtils.hasAnnotation(method, OnOneReplica.class));
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }
}
