package io.brickworks.console;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the console answers: a status, a content type, a body and headers to set (the CSRF cookie,
 * the security headers).
 */
public record ConsoleResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static ConsoleResponse html(int status, String html, Map<String, String> headers) {
        return new ConsoleResponse(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The body as text (tests, logs). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
