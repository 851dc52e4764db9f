package io.brickworks.console;

import java.util.Map;

/**
 * One request to the console, as an adapter (the JDK's HTTP server, a servlet) hands it over.
 *
 * @param method {@code GET} or {@code POST}
 * @param path the path below the console's root, starting with {@code /}
 * @param params the query (GET) or form (POST) parameters, first value of each
 * @param csrfCookie the value of the console's CSRF cookie ({@link BrickworksConsole#CSRF_COOKIE}), or null
 * @param user who asks, for the action log, or null when unknown
 * @param mayAct whether this request is authorized to run actions (the adapter decides: by default
 *     nobody; under Spring Security, a user with the configured role)
 * @param hiddenFields fields every form must carry back, such as the framework's own CSRF token
 *     (name to value); empty when none
 */
public record ConsoleRequest(String method, String path, Map<String, String> params, String csrfCookie, String user,
                             boolean mayAct, Map<String, String> hiddenFields) {

    public ConsoleRequest {
        params = Map.copyOf(params);
        hiddenFields = Map.copyOf(hiddenFields);
    }

    /** The parameter {@code name}, or {@code ""}. */
    public String param(String name) {
        return params.getOrDefault(name, "");
    }
}
