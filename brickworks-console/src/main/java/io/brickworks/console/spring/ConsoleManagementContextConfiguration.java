package io.brickworks.console.spring;

import io.brickworks.console.BrickworksConsole;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Serves the console on the management server (the application's port, or {@code management.server.port}
 * when set) at {@code <management base path>/brickworks/} (default {@code /actuator/brickworks/}), so it
 * is wherever the operators' endpoints are, behind the same security.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(BrickworksConsole.class)
public class ConsoleManagementContextConfiguration {

    @Bean
    public ServletRegistrationBean<ConsoleServlet> brickworksConsoleServlet(BrickworksConsole console,
                                                                            Environment environment) {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        String role = environment.getProperty("brickworks.console.action-role", "BRICKWORKS_ADMIN");
        String path = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/brickworks";
        ServletRegistrationBean<ConsoleServlet> bean = new ServletRegistrationBean<>(new ConsoleServlet(console, role),
                path, path + "/*");
        bean.setName("brickworksConsole");
        return bean;
    }
}
