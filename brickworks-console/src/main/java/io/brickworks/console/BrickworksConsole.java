package io.brickworks.console;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.FunctionInfo;
import io.brickworks.cache.admin.LockInfo;
import io.brickworks.cache.admin.PurgeReport;
import io.brickworks.cache.admin.QueueInfo;
import io.brickworks.cache.admin.TenantUsage;
import io.brickworks.cache.internal.Names;
import io.brickworks.cache.queue.DeadLetter;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueStatus;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.console.internal.Charts;
import io.brickworks.console.internal.Html;
import io.brickworks.console.internal.MeterCharts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console of one cache, independent of any web server: an adapter turns each HTTP request
 * into a {@link ConsoleRequest} and writes back the {@link ConsoleResponse} ({@link ConsoleHttpHandler}
 * for the JDK's HTTP server; {@code io.brickworks.console.spring} for Spring Boot's management port).
 *
 * <p><b>Pages</b> ({@code GET}): {@code /} (health and counts), {@code tenants}, {@code locks},
 * {@code queues}, {@code queue} (one acknowledged queue: paused or not, its deliveries in flight with
 * consumer, attempt, age and progress, its dead letters with reasons), {@code functions}, {@code near-cache},
 * {@code health}, {@code charts}. The numbers are those of {@link BrickworksCache#admin()}, read when
 * the page is asked for. Every name is escaped for HTML ({@link Html}); dead letters' payloads are
 * hidden unless {@link ConsoleOptions#valuesShown()}. No script runs in the pages; the stylesheet is
 * in the jar; the charts are inline SVG; a Content-Security-Policy forbids anything else.
 *
 * <p><b>Actions</b> ({@code POST}): {@code requeue} and {@code purge-dead} (dead letters),
 * {@code pause-queue} (pause or resume a queue), {@code release-lock} (a stuck lock, only from the owner
 * shown), {@code purge-tenant} (a dry run
 * first, then the purge once the tenant's name is typed). An action runs only when all hold:
 * actions are {@linkplain ConsoleOptions#actionsEnabled() enabled}, the request
 * {@linkplain ConsoleRequest#mayAct() may act}, and its {@code csrf} field equals the console's CSRF
 * cookie (a random token set with {@code SameSite=Strict; HttpOnly}). Otherwise it is refused with 403
 * and nothing is changed. Every action, run or refused, is logged (logger
 * {@code io.brickworks.console}) with the user, the arguments and the outcome.
 *
 * <p>Thread-safe; {@link #close()} stops the chart sampler (the cache stays open: it is the application's).
 */
public final class BrickworksConsole implements AutoCloseable {

    /** The name of the console's CSRF cookie. */
    public static final String CSRF_COOKIE = "brickworks_console_csrf";
    /** The form field that must carry the CSRF cookie's value. */
    public static final String CSRF_FIELD = "csrf";

    private static final Logger LOG = LoggerFactory.getLogger("io.brickworks.console");
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How many deliveries in flight and dead letters the queue page lists. */
    private static final int LISTED = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                    + "frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");
    private static final String CSS = resource("console.css");

    private final BrickworksCache cache;
    private final ConsoleOptions options;
    private final Charts charts;
    /** Whether names are escaped and actions check the CSRF token; false only in negative controls. */
    private final boolean escapeNames;
    private final boolean checkCsrf;

    private BrickworksConsole(BrickworksCache cache, ConsoleOptions options, Charts charts, boolean escapeNames,
                              boolean checkCsrf) {
        this.cache = Names.checkNotNull("cache", cache);
        this.options = Names.checkNotNull("options", options);
        this.charts = charts;
        this.escapeNames = escapeNames;
        this.checkCsrf = checkCsrf;
    }

    private BrickworksConsole(BrickworksCache cache, ConsoleOptions options, Charts charts) {
        this(cache, options, charts, true, true);
    }

    /** This console with a planted bug, for negative controls: names not escaped, or no CSRF check. */
    BrickworksConsole planted(boolean escape, boolean csrf) {
        return new BrickworksConsole(cache, options, charts, escape, csrf);
    }

    /** A stored name for the page ({@link Html#name}). */
    private String name(String s) {
        return escapeNames ? Html.name(s) : s;
    }

    /** A console of {@code cache} without charts (no meter registry). */
    public static BrickworksConsole of(BrickworksCache cache, ConsoleOptions options) {
        return new BrickworksConsole(cache, options, Charts.none());
    }

    /**
     * A console of {@code cache} with charts sampled from {@code registry}, the one the cache's meters
     * are bound to ({@code io.brickworks.cache.micrometer}).
     */
    public static BrickworksConsole of(BrickworksCache cache, ConsoleOptions options,
                                       io.micrometer.core.instrument.MeterRegistry registry) {
        Names.checkNotNull("registry", registry);
        return new BrickworksConsole(cache, options, new MeterCharts(registry, options.sampleEvery(), options.window()));
    }

    public ConsoleOptions options() {
        return options;
    }

    @Override
    public void close() {
        charts.close();
    }

    private static String resource(String name) {
        try (InputStream in = BrickworksConsole.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** Answers one request; never throws for a bad request (400), a refused action (403) or a store failure (503). */
    public ConsoleResponse handle(ConsoleRequest request) {
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        String csrf = request.csrfCookie();
        if (csrf == null || csrf.length() < 20) {
            byte[] token = new byte[24];
            RANDOM.nextBytes(token);
            csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
            headers.put("Set-Cookie", CSRF_COOKIE + "=" + csrf + "; Path=/; HttpOnly; SameSite=Strict");
        }
        Page page = new Page(request, csrf);
        try {
            if (request.method().equals("GET")) {
                return get(request, page, headers);
            }
            if (request.method().equals("POST")) {
                return post(request, page, headers);
            }
            return ConsoleResponse.html(405, page.render("Not allowed", "<p>Only GET and POST.</p>"), headers);
        } catch (IllegalArgumentException e) {
            return ConsoleResponse.html(400, page.render("Bad request", "<p class=\"error\">" + Html.text(e.getMessage())
                    + "</p>"), headers);
        } catch (CompletionException | io.brickworks.cache.spi.CacheBackendException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException bad) {
                return ConsoleResponse.html(400, page.render("Bad request", "<p class=\"error\">"
                        + Html.text(bad.getMessage()) + "</p>"), headers);
            }
            return ConsoleResponse.html(503, page.render("Store unavailable", "<p class=\"error\">"
                    + Html.text(String.valueOf(cause.getMessage())) + "</p>"), headers);
        }
    }

    private ConsoleResponse get(ConsoleRequest r, Page page, Map<String, String> headers) {
        String html = switch (r.path()) {
            case "/" -> page.render("Overview", overview());
            case "/tenants" -> page.render("Tenants", tenants(page));
            case "/locks" -> page.render("Locks", locks(page));
            case "/queues" -> page.render("Queues", queues());
            case "/queue" -> page.render("Queue", queuePage(page, r));
            case "/functions" -> page.render("Function caches", functions());
            case "/near-cache" -> page.render("Near cache", nearCache());
            case "/health" -> page.render("Health", health());
            case "/charts" -> page.render("Charts", chartsHtml());
            case "/console.css" -> null;
            default -> "";
        };
        if (html == null) {
            Map<String, String> css = new LinkedHashMap<>(headers);
            css.put("Cache-Control", "max-age=3600");
            return new ConsoleResponse(200, "text/css; charset=utf-8", CSS.getBytes(StandardCharsets.UTF_8), css);
        }
        if (html.isEmpty()) {
            return ConsoleResponse.html(404, page.render("Not found", "<p>No such page.</p>"), headers);
        }
        return ConsoleResponse.html(200, html, headers);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CompletionException(new IllegalStateException("the store did not answer within " + WAIT));
        }
    }

    // ------------------------------------------------------------------ pages

    /** The HTML frame of a page, with the request's CSRF token for its forms. */
    private final class Page {
        final ConsoleRequest request;
        final String csrf;

        Page(ConsoleRequest request, String csrf) {
            this.request = request;
            this.csrf = csrf;
        }

        boolean actions() {
            return options.actionsEnabled() && request.mayAct();
        }

        /** A POST form to {@code action} with {@code fields}, the CSRF token and a button. */
        String form(String action, Map<String, String> fields, String button, String extraInputs) {
            StringBuilder f = new StringBuilder("<form method=\"post\" action=\"").append(Html.text(action))
                    .append("\" class=\"action\">").append(Html.hidden(CSRF_FIELD, csrf));
            request.hiddenFields().forEach((k, v) -> f.append(Html.hidden(k, v)));
            fields.forEach((k, v) -> f.append(Html.hidden(k, v)));
            f.append(extraInputs).append("<button type=\"submit\">").append(Html.text(button)).append("</button></form>");
            return f.toString();
        }

        String render(String title, String body) {
            String nav = "<nav><a href=\"./\">Overview</a> <a href=\"tenants\">Tenants</a> <a href=\"locks\">Locks</a> "
                    + "<a href=\"queues\">Queues</a> <a href=\"functions\">Function caches</a> "
                    + "<a href=\"near-cache\">Near cache</a> <a href=\"charts\">Charts</a> <a href=\"health\">Health</a></nav>";
            String mode = options.actionsEnabled() ? request.mayAct() ? "actions enabled" : "actions enabled, not for you"
                    : "read-only";
            StringBuilder meta = new StringBuilder();
            request.hiddenFields().forEach((k, v) -> meta.append("<meta name=\"form-field\" data-name=\"")
                    .append(Html.text(k)).append("\" content=\"").append(Html.text(v)).append("\">"));
            return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" + meta + "<title>" + Html.text(title)
                    + " - Brickworks console</title><link rel=\"stylesheet\" href=\"console.css\"></head><body>"
                    + "<header><h1>Brickworks console</h1><span class=\"mode\" id=\"mode\">" + Html.text(mode)
                    + (request.user() == null ? "" : " - " + Html.text(request.user())) + "</span></header>" + nav
                    + "<main><h2>" + Html.text(title) + "</h2>" + body + "</main></body></html>";
        }
    }

    /** A column of a table: its header, its {@code data-col} name and the cell of a row (HTML). */
    private record Column<T>(String header, String id, Function<T, String> cell) {
    }

    private static <T> String table(String id, List<Column<T>> columns, List<T> rows, Function<T, String> key) {
        StringBuilder t = new StringBuilder("<table id=\"").append(id).append("\"><thead><tr>");
        columns.forEach(c -> t.append("<th>").append(Html.text(c.header())).append("</th>"));
        t.append("</tr></thead><tbody>");
        for (T row : rows) {
            t.append("<tr data-key=\"").append(Html.text(key.apply(row))).append("\">");
            for (Column<T> c : columns) {
                t.append("<td data-col=\"").append(c.id()).append("\">").append(c.cell().apply(row)).append("</td>");
            }
            t.append("</tr>");
        }
        if (rows.isEmpty()) {
            t.append("<tr class=\"empty\"><td colspan=\"").append(columns.size()).append("\">none</td></tr>");
        }
        return t.append("</tbody></table>").toString();
    }

    private static String number(long n) {
        return Long.toString(n);
    }

    /** A duration in seconds with one decimal, as {@code 12.3 s}. */
    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private String overview() {
        return health() + "<ul class=\"counts\">"
                + "<li><a href=\"tenants\">Tenants</a>: <span id=\"count-tenants\">" + await(cache.admin().tenants()).size() + "</span></li>"
                + "<li><a href=\"locks\">Locks held</a>: <span id=\"count-locks\">" + await(cache.admin().locks()).size() + "</span></li>"
                + "<li><a href=\"queues\">Queues</a>: <span id=\"count-queues\">" + await(cache.admin().queues()).size() + "</span></li>"
                + "</ul>";
    }

    private String tenants(Page page) {
        List<TenantUsage> tenants = await(cache.admin().tenants());
        List<Column<TenantUsage>> columns = new ArrayList<>(List.of(
                new Column<TenantUsage>("Tenant", "tenant", t -> name(t.tenant())),
                new Column<TenantUsage>("Keys", "keys", t -> number(t.keys())),
                new Column<TenantUsage>("Keys per namespace", "namespaces", t -> {
                    StringBuilder s = new StringBuilder();
                    t.keysByNamespace().forEach((ns, n) -> s.append("<span class=\"ns\">").append(name(ns))
                            .append("=").append(n).append("</span> "));
                    return s.toString().trim();
                })));
        if (page.actions()) {
            columns.add(new Column<>("Purge", "purge", t -> page.form("purge-tenant", Map.of("tenant", t.tenant(),
                    "step", "dry-run"), "Dry run of a purge", "<label><input type=\"checkbox\" name=\"includeLocks\" "
                    + "value=\"true\"> with locks</label>")));
        }
        return table("tenants", columns, tenants, TenantUsage::tenant) + actionsNote(page);
    }

    private String actionsNote(Page page) {
        return page.actions() ? "" : "<p class=\"note\">Actions are " + (options.actionsEnabled()
                ? "enabled, but this request is not authorized to run them." : "disabled.") + "</p>";
    }

    private String locks(Page page) {
        List<LockInfo> locks = await(cache.admin().locks());
        List<Column<LockInfo>> columns = new ArrayList<>(List.of(
                new Column<LockInfo>("Tenant", "tenant", l -> name(l.tenant())),
                new Column<LockInfo>("Lock", "name", l -> name(l.name())),
                new Column<LockInfo>("Owner", "owner", l -> name(l.owner())),
                new Column<LockInfo>("Held by", "here", l -> l.ownedHere() ? "this instance" : "another process"),
                new Column<LockInfo>("Time left", "timeLeft", l -> l.timeLeft() == null ? "no expiry" : seconds(l.timeLeft())),
                new Column<LockInfo>("Fencing token", "fencingToken", l -> l.lastFencingToken() == null ? "-"
                        : number(l.lastFencingToken()))));
        if (page.actions()) {
            columns.add(new Column<>("Release", "release", l -> page.form("release-lock", Map.of("tenant", l.tenant(),
                    "name", l.name(), "owner", l.owner()), "Release", "")));
        }
        return table("locks", columns, locks, l -> l.tenant() + "/" + l.name()) + actionsNote(page);
    }

    /** The parameters that name a queue, in the order of its links and forms (a new, modifiable map). */
    private static Map<String, String> queueParams(String tenant, String namespace, String queue) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("tenant", tenant);
        p.put("namespace", namespace);
        p.put("queue", queue);
        return p;
    }

    /** The columns of the queues page; one line per column, so that more are easy to add. */
    private List<Column<QueueInfo>> queueColumns() {
        return List.of(
                new Column<>("Tenant", "tenant", q -> name(q.tenant())),
                new Column<>("Namespace", "namespace", q -> name(q.namespace())),
                new Column<>("Queue", "name", q -> "<a href=\"" + Html.href("queue", queueParams(q.tenant(), q.namespace(),
                        q.name())) + "\">" + name(q.name()) + "</a>"),
                new Column<>("Waiting", "waiting", q -> number(q.waiting())),
                new Column<>("Delayed", "delayed", q -> number(q.delayed())),
                new Column<>("In flight", "inFlight", q -> number(q.inFlight())),
                new Column<>("Dead letters", "dead", q -> q.dead() == 0 ? "0"
                        : "<a href=\"" + Html.href("queue", queueParams(q.tenant(), q.namespace(), q.name())) + "\">" + q.dead() + "</a>"));
    }

    private String queues() {
        return table("queues", queueColumns(), await(cache.admin().queues()),
                q -> q.tenant() + "/" + q.namespace() + "/" + q.name());
    }

    private ReliableQueue queue(ConsoleRequest r) {
        return cache.forTenant(Names.check("tenant", r.param("tenant"))).reliableQueue(r.param("queue"),
                QueueOptions.defaults().withNamespace(r.param("namespace")));
    }

    /**
     * One acknowledged queue, from one atomic read ({@link CacheAdmin#queue}): its counts, whether it is
     * paused (with actions: pause or resume), its deliveries in flight (consumer, attempt, age, time
     * until redelivery, progress), its items not yet due (time until due) and its dead letters (reasons; the item hidden unless shown; with
     * actions: requeue or purge).
     */
    private String queuePage(Page page, ConsoleRequest r) {
        Map<String, String> q = queueParams(r.param("tenant"), r.param("namespace"), r.param("queue"));
        QueueStatus status = await(cache.admin().queue(q.get("tenant"), q.get("namespace"), q.get("queue"), LISTED));
        StringBuilder b = new StringBuilder("<p>Queue <b>").append(name(q.get("queue"))).append("</b> of namespace ")
                .append(name(q.get("namespace"))).append(", tenant ").append(name(q.get("tenant")))
                .append(r.param("done").isEmpty() ? "" : " <span class=\"done\" id=\"done\">" + Html.text(r.param("done"))
                        + "</span>").append("</p>");
        b.append("<dl id=\"status\"><dt>State</dt><dd id=\"paused\">").append(status.paused() ? "paused" : "running")
                .append("</dd><dt>Waiting</dt><dd id=\"waiting\">").append(number(status.waiting()))
                .append("</dd><dt>Delayed</dt><dd id=\"delayed\">").append(number(status.delayed()))
                .append("</dd><dt>In flight</dt><dd id=\"inFlight\">").append(number(status.inFlightCount()))
                .append("</dd><dt>Dead letters</dt><dd id=\"dead-count\">").append(number(status.deadLetterCount()))
                .append("</dd></dl>");
        if (page.actions()) {
            Map<String, String> toggle = new LinkedHashMap<>(q);
            toggle.put("paused", Boolean.toString(!status.paused()));
            b.append("<div class=\"all\">").append(page.form("pause-queue", toggle, status.paused() ? "Resume" : "Pause", ""))
                    .append("</div>");
        }
        b.append("<h3>In flight").append(listed(status.inFlight().size(), status.inFlightCount())).append("</h3>");
        b.append(table("inflight", List.of(
                new Column<QueueStatus.InFlightJob>("Id", "id", j -> name(j.id())),
                new Column<QueueStatus.InFlightJob>("Consumer", "consumer", j -> name(j.consumer())),
                new Column<QueueStatus.InFlightJob>("Attempt", "attempt", j -> number(j.attempt())),
                new Column<QueueStatus.InFlightJob>("Age", "age", j -> seconds(j.age())),
                new Column<QueueStatus.InFlightJob>("Redelivered in", "visibleIn", j -> j.visibleIn().isNegative()
                        ? "overdue by " + seconds(j.visibleIn().negated()) : seconds(j.visibleIn())),
                new Column<QueueStatus.InFlightJob>("Progress", "progress", j -> j.progress().isEmpty() ? "-"
                        : name(j.progress()))),
                status.inFlight(), QueueStatus.InFlightJob::id));
        b.append("<h3>Delayed").append(listed(status.delayedJobs().size(), status.delayed())).append("</h3>");
        b.append(table("delayed", List.of(
                new Column<QueueStatus.DelayedJob>("Id", "id", j -> name(j.id())),
                new Column<QueueStatus.DelayedJob>("Due in", "dueIn", j -> seconds(j.dueIn()))),
                status.delayedJobs(), QueueStatus.DelayedJob::id));
        b.append("<h3>Dead letters").append(listed(status.deadLetters().size(), status.deadLetterCount())).append("</h3>");
        List<Column<DeadLetter>> columns = new ArrayList<>(List.of(
                new Column<DeadLetter>("Id", "id", d -> name(d.id())),
                new Column<DeadLetter>("Attempts", "attempts", d -> number(d.attempts())),
                new Column<DeadLetter>("Last reason", "reason", d -> d.history().isEmpty() ? "-"
                        : name(d.history().get(d.history().size() - 1))),
                new Column<DeadLetter>("Item", "item", d -> options.valuesShown() ? name(d.item())
                        : "<span class=\"hidden\">hidden (" + d.item().length() + " chars)</span>")));
        if (page.actions()) {
            columns.add(new Column<>("Actions", "actions", d -> {
                Map<String, String> one = new LinkedHashMap<>(q);
                one.put("id", d.id());
                return page.form("requeue", one, "Requeue", "") + page.form("purge-dead", one, "Purge", "");
            }));
        }
        b.append(table("dead", columns, status.deadLetters(), DeadLetter::id));
        if (page.actions() && !status.deadLetters().isEmpty()) {
            b.append("<div class=\"all\">").append(page.form("requeue", q, "Requeue all", ""))
                    .append(page.form("purge-dead", q, "Purge all", "")).append("</div>");
        }
        return b.append(actionsNote(page)).toString();
    }

    /** {@code " (the first 100 of 250)"} when a list is cut, else nothing. */
    private static String listed(int shown, long total) {
        return shown < total ? " (the first " + shown + " of " + total + ")" : "";
    }

    private String functions() {
        List<FunctionInfo> functions = await(cache.admin().functions());
        return table("functions", List.of(
                new Column<FunctionInfo>("Tenant", "tenant", f -> name(f.tenant())),
                new Column<FunctionInfo>("Function", "name", f -> name(f.name())),
                new Column<FunctionInfo>("Cached results", "entries", f -> number(f.entries()))),
                functions, f -> f.tenant() + "/" + f.name());
    }

    private String nearCache() {
        var s = cache.settings();
        String on = s.nearCache() ? "on" : "off";
        String body = "<dl><dt>Near cache</dt><dd id=\"near-cache\">" + on + "</dd>";
        if (s.nearCache()) {
            body += "<dt>Namespaces</dt><dd>" + (s.nearCacheNamespaces().isEmpty() ? "every namespace and the function cache"
                    : name(String.join(", ", s.nearCacheNamespaces()))) + "</dd><dt>At most</dt><dd>"
                    + s.nearCacheMaxEntries() + " entries</dd>";
        }
        body += "</dl>";
        for (Charts.Series series : charts.series()) {
            if (series.id().equals("hit-ratio")) {
                body += Charts.svg(series, charts.stepSeconds(), 560, 120);
            }
        }
        return body;
    }

    private String health() {
        var s = cache.settings();
        String state;
        String cls;
        try {
            Duration rtt = await(cache.ping());
            state = String.format(java.util.Locale.ROOT, "reachable, round trip %.2f ms", rtt.toNanos() / 1e6);
            cls = "up";
        } catch (CompletionException e) {
            state = "unreachable: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            cls = "down";
        }
        return "<dl class=\"health\"><dt>Store</dt><dd>" + (s.useRedis() ? "Redis" : "memory (this process)")
                + "</dd><dt>State</dt><dd id=\"health\" class=\"" + cls + "\">" + Html.text(state) + "</dd>"
                + "<dt>Key prefix</dt><dd>" + name(s.keyPrefix()) + "</dd><dt>Master tenant</dt><dd>"
                + name(s.masterTenant()) + "</dd></dl>";
    }

    private String chartsHtml() {
        List<Charts.Series> all = charts.series();
        if (all.isEmpty()) {
            return "<p class=\"note\">No meter registry: bind the cache's meters (brickworks-micrometer) and give "
                    + "the registry to the console to see charts.</p>";
        }
        StringBuilder out = new StringBuilder("<p class=\"note\">The application's own meters, sampled in this process "
                + "every " + charts.stepSeconds() + " s; the page does not refresh by itself.</p><div class=\"charts\">");
        all.forEach(s -> out.append(Charts.svg(s, charts.stepSeconds(), 560, 120)));
        return out.append("</div>").toString();
    }

    // ------------------------------------------------------------------ actions

    private ConsoleResponse refuse(ConsoleRequest r, Page page, Map<String, String> headers, String why) {
        LOG.warn("console action {} by {} refused: {} ({})", r.path(), Names.show(r.user()), why, shown(r.params()));
        return ConsoleResponse.html(403, page.render("Refused", "<p class=\"error\" id=\"refused\">Refused: "
                + Html.text(why) + ". Nothing was changed.</p>"), headers);
    }

    private static String shown(Map<String, String> params) {
        StringBuilder s = new StringBuilder();
        params.forEach((k, v) -> {
            if (!k.equals(CSRF_FIELD)) {
                s.append(s.isEmpty() ? "" : ", ").append(k).append('=').append(Names.show(v));
            }
        });
        return s.toString();
    }

    private static boolean sameToken(String cookie, String field) {
        return cookie != null && !cookie.isEmpty() && MessageDigest.isEqual(
                cookie.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
    }

    /** The answer to an action on a queue: logged, then a redirect to the queue's page, which shows the outcome. */
    private ConsoleResponse backToQueue(ConsoleRequest r, Page page, Map<String, String> headers, String outcome) {
        Map<String, String> back = queueParams(r.param("tenant"), r.param("namespace"), r.param("queue"));
        back.put("done", outcome);
        LOG.info("console action {} by {}: {} -> {}", r.path(), Names.show(r.user()), shown(r.params()), outcome);
        Map<String, String> redirect = new LinkedHashMap<>(headers);
        redirect.put("Location", Html.href("queue", back).replace("&amp;", "&"));
        return ConsoleResponse.html(303, page.render("Done", "<p>" + Html.text(outcome) + "</p>"), redirect);
    }

    private ConsoleResponse post(ConsoleRequest r, Page page, Map<String, String> headers) {
        if (!List.of("/requeue", "/purge-dead", "/pause-queue", "/release-lock", "/purge-tenant").contains(r.path())) {
            return ConsoleResponse.html(404, page.render("Not found", "<p>No such action.</p>"), headers);
        }
        if (!options.actionsEnabled()) {
            return refuse(r, page, headers, "actions are disabled");
        }
        if (!r.mayAct()) {
            return refuse(r, page, headers, "not authorized to run actions");
        }
        if (checkCsrf && !sameToken(r.csrfCookie(), r.param(CSRF_FIELD))) {
            return refuse(r, page, headers, "missing or wrong CSRF token");
        }
        String outcome;
        String body;
        switch (r.path()) {
            case "/requeue", "/purge-dead" -> {
                List<String> ids = r.param("id").isEmpty() ? List.of() : List.of(r.param("id"));
                ReliableQueue q = queue(r);
                long n = await(r.path().equals("/requeue") ? q.requeueDeadLetters(ids.toArray(String[]::new))
                        : q.purgeDeadLetters(ids.toArray(String[]::new)));
                return backToQueue(r, page, headers, (r.path().equals("/requeue") ? "requeued " : "purged ") + n);
            }
            case "/pause-queue" -> {
                String paused = r.param("paused");
                if (!paused.equals("true") && !paused.equals("false")) {
                    throw new IllegalArgumentException("paused must be true or false, not " + Names.show(paused));
                }
                boolean pause = paused.equals("true");
                boolean changed = await(cache.admin().pauseQueue(Names.check("tenant", r.param("tenant")),
                        r.param("namespace"), r.param("queue"), pause));
                return backToQueue(r, page, headers, (changed ? "" : "already ") + (pause ? "paused" : "running"));
            }
            case "/release-lock" -> {
                boolean released = await(cache.admin().releaseLock(r.param("tenant"), r.param("name"), r.param("owner")));
                outcome = released ? "released" : "not released: the lock is gone or has another owner now";
                body = "<p id=\"outcome\">Lock " + name(r.param("name")) + " of tenant " + name(r.param("tenant"))
                        + ": " + Html.text(outcome) + ".</p><p><a href=\"locks\">Back to the locks</a></p>";
            }
            default -> {
                String tenant = Names.check("tenant", r.param("tenant"));
                boolean includeLocks = r.param("includeLocks").equals("true");
                boolean dryRun = !r.param("step").equals("purge");
                if (!dryRun && !r.param("confirm").equals(tenant)) {
                    return refuse(r, page, headers, "the tenant's name was not typed to confirm");
                }
                PurgeReport report = await(cache.admin().purgeTenant(tenant, includeLocks, dryRun));
                outcome = dryRun ? "dry run: " + report.keys() + " keys" : "deleted " + report.deleted() + " keys, "
                        + report.remaining() + " left";
                StringBuilder b = new StringBuilder(table("purge", List.of(
                        new Column<Map.Entry<String, Long>>("Namespace", "namespace", e -> name(e.getKey())),
                        new Column<Map.Entry<String, Long>>("Keys", "keys", e -> number(e.getValue()))),
                        List.copyOf(report.keysByNamespace().entrySet()), Map.Entry::getKey));
                b.append("<p id=\"outcome\">").append(Html.text(outcome)).append(" of tenant ").append(name(tenant))
                        .append(report.complete() ? "" : " - keys are left; run the purge again").append("</p>");
                if (dryRun && report.keys() > 0) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    fields.put("tenant", tenant);
                    fields.put("step", "purge");
                    fields.put("includeLocks", Boolean.toString(includeLocks));
                    b.append(page.form("purge-tenant", fields, "Delete these " + report.keys() + " keys",
                            "<label>Type the tenant's name to confirm: <input name=\"confirm\" autocomplete=\"off\"></label>"));
                }
                body = b.toString();
            }
        }
        LOG.info("console action {} by {}: {} -> {}", r.path(), Names.show(r.user()), shown(r.params()), outcome);
        return ConsoleResponse.html(200, page.render("Done", body), headers);
    }
}
