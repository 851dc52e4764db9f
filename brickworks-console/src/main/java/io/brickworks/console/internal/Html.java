package io.brickworks.console.internal;

import io.brickworks.cache.internal.Names;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one place that turns text into HTML. Every stored name, parameter and message goes through
 * {@link #text} (or {@link #name}, which first makes control characters visible as the CLI does), so
 * a name such as {@code <img src=x onerror=...>} renders as those characters, never as markup.
 */
public final class Html {

    private Html() {
    }

    /** {@code s} escaped for an element's text or a quoted attribute value. */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A stored name for display: control and format characters made visible ({@link Names#escape}), then escaped for HTML. */
    public static String name(String s) {
        return text(Names.escape(s));
    }

    /** A relative link to {@code page} with {@code params} (URL-encoded), escaped for an attribute. */
    public static String href(String page, Map<String, String> params) {
        StringBuilder url = new StringBuilder(page);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return text(url.toString());
    }

    /** A hidden form field. */
    public static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + text(name) + "\" value=\"" + text(value) + "\">";
    }
}
