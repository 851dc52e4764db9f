package io.brickworks.console.spring;

import io.brickworks.console.BrickworksConsole;
import io.brickworks.console.ConsoleRequest;
import io.brickworks.console.ConsoleResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console as a servlet. A request may run actions when its user is in the action role
 * ({@link HttpServletRequest#isUserInRole}); without an authenticated user (no Spring Security)
 * nobody is. Spring Security's CSRF token, when the request has one, is carried in every form, so its
 * filter accepts the console's POSTs; the console checks its own token too.
 */
public class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String SPRING_CSRF = "_csrf";

    private final transient BrickworksConsole console;
    private final String actionRole;

    public ConsoleServlet(BrickworksConsole console, String actionRole) {
        this.console = console;
        this.actionRole = actionRole;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path == null || path.isEmpty()) {
            String uri = req.getRequestURI();
            resp.setHeader("Location", uri.substring(uri.lastIndexOf('/') + 1) + "/");
            resp.setStatus(301);
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> params.put(k, v.length == 0 ? "" : v[0]));
        String cookie = null;
        if (req.getCookies() != null) {
            for (Cookie c : req.getCookies()) {
                if (c.getName().equals(BrickworksConsole.CSRF_COOKIE)) {
                    cookie = c.getValue();
                }
            }
        }
        boolean mayAct = req.getUserPrincipal() != null && req.isUserInRole(actionRole);
        ConsoleResponse response = console.handle(new ConsoleRequest(req.getMethod(), path, params, cookie,
                req.getRemoteUser(), mayAct, springCsrf(req)));
        resp.setStatus(response.status());
        response.headers().forEach(resp::addHeader);
        resp.setContentType(response.contentType());
        resp.setContentLength(response.body().length);
        resp.getOutputStream().write(response.body());
    }

    /** Spring Security's CSRF token of the request, as a form field, read without a compile-time dependency. */
    private static Map<String, String> springCsrf(HttpServletRequest req) {
        Object token = req.getAttribute(SPRING_CSRF);
        if (token == null) {
            return Map.of();
        }
        try {
            Method name = token.getClass().getMethod("getParameterName");
            Method value = token.getClass().getMethod("getToken");
            name.setAccessible(true);
            value.setAccessible(true);
            return Map.of((String) name.invoke(token), (String) value.invoke(token));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Map.of();
        }
    }
}
