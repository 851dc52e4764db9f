package io.brickworks.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.brickworks.cache.internal.Names;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The console on the JDK's HTTP server ({@code com.sun.net.httpserver}), for an application without
 * a web framework:
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8081), 0);
 * server.createContext("/brickworks/", new ConsoleHttpHandler(console, exchange -> false, exchange -> null));
 * server.start();
 * }</pre>
 *
 * <p>Whether a request may run actions is the application's decision ({@code mayAct}), for instance an
 * authenticator's principal; nothing may by default ({@link #readOnly}). Forms are at most 64 KiB.
 */
public final class ConsoleHttpHandler implements HttpHandler {

    private static final int MAX_FORM = 64 * 1024;

    private final BrickworksConsole console;
    private final Predicate<HttpExchange> mayAct;
    private final Function<HttpExchange, String> user;

    /**
     * @param mayAct whether a request may run actions (also needs {@link ConsoleOptions#actionsEnabled()})
     * @param user who makes a request, for the action log, or null
     */
    public ConsoleHttpHandler(BrickworksConsole console, Predicate<HttpExchange> mayAct,
                              Function<HttpExchange, String> user) {
        this.console = Names.checkNotNull("console", console);
        this.mayAct = Names.checkNotNull("mayAct", mayAct);
        this.user = Names.checkNotNull("user", user);
    }

    /** A handler on which no request may run actions. */
    public static ConsoleHttpHandler readOnly(BrickworksConsole console) {
        return new ConsoleHttpHandler(console, exchange -> false, exchange -> null);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String context = exchange.getHttpContext().getPath();
            String full = exchange.getRequestURI().getRawPath();
            if (!context.endsWith("/") && full.equals(context)) {
                exchange.getResponseHeaders().set("Location", context.substring(context.lastIndexOf('/') + 1) + "/");
                exchange.sendResponseHeaders(301, -1);
                return;
            }
            String base = context.endsWith("/") ? context : context + "/";
            String path = "/" + (full.length() > base.length() ? full.substring(base.length()) : "");
            Map<String, String> params = new LinkedHashMap<>(parse(exchange.getRequestURI().getRawQuery()));
            if (exchange.getRequestMethod().equals("POST")) {
                byte[] body = exchange.getRequestBody().readNBytes(MAX_FORM + 1);
                if (body.length > MAX_FORM) {
                    exchange.sendResponseHeaders(413, -1);
                    return;
                }
                params.putAll(parse(new String(body, StandardCharsets.US_ASCII)));
            }
            ConsoleResponse response = console.handle(new ConsoleRequest(exchange.getRequestMethod(),
                    URLDecoder.decode(path, StandardCharsets.UTF_8), params, cookie(exchange), user.apply(exchange),
                    mayAct.test(exchange), Map.of()));
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private static String cookie(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(BrickworksConsole.CSRF_COOKIE + "=")) {
                    return p.substring(BrickworksConsole.CSRF_COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    /** {@code a=1&b=2}, URL-decoded, the first value of each name. */
    static Map<String, String> parse(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }
}
