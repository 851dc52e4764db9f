package io.brickworks.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.admin.QueueInfo;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueStatus;
import io.brickworks.cache.queue.ReliableQueue;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console on the JDK's HTTP server over the memory backend, through a plain HTTP client that
 * keeps cookies like a browser: what is refused (actions disabled, a request that may not act, a
 * missing or wrong CSRF token, an unconfirmed purge) changes nothing; names are escaped; payloads are
 * hidden unless shown; a queue's page shows its deliveries in flight as the admin API does, and pausing
 * it is an action like the others. Negative controls plant the bugs (no escaping, no CSRF check) and
 * show that the same checks see them.
 */
class ConsoleHttpHandlerTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    /** Progress text is the consumer's, so it is as untrusted as a stored name. */
    private static final String HOSTILE_PROGRESS = "<b onmouseover=alert(2)>half</b>";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private BrickworksCache cache;
    private HttpServer server;
    private HttpClient http;
    private String base;

    @BeforeEach
    void start() throws Exception {
        cache = BrickworksCache.builder().build();
        BrickworksCache acme = cache.forTenant("acme");
        join(acme.setKey("a", "1"));
        join(acme.pushToQueue(HOSTILE, "x"));
        ReliableQueue jobs = acme.reliableQueue("jobs", QueueOptions.defaults().withMaxAttempts(1));
        join(jobs.push("secret-payload"));
        Delivery d = join(jobs.receive(Duration.ofSeconds(5))).orElseThrow();
        assertThat(join(d.retry(Duration.ZERO, "boom"))).isTrue();
        ReliableQueue work = acme.reliableQueue("work", QueueOptions.defaults().withConsumerName("worker-7")
                .withVisibilityTimeout(Duration.ofMinutes(5)));
        join(work.push("w1"));
        join(work.push("w2"));
        join(work.push("w3", Duration.ofHours(1)));
        Delivery running = join(work.receive(Duration.ofSeconds(5))).orElseThrow();
        assertThat(join(running.heartbeat(HOSTILE_PROGRESS))).isTrue();
        http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        cache.close();
    }

    private static <T> T join(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private void serve(BrickworksConsole console, boolean mayAct) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/console/", new ConsoleHttpHandler(console, exchange -> mayAct, exchange -> "tester"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/console/";
    }

    private HttpResponse<String> get(String page) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + page)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String action, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(base + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The CSRF token of the forms of {@code page} (the value of the cookie the page set). */
    private String csrfOf(String page) throws Exception {
        Matcher m = CSRF.matcher(get(page).body());
        assertThat(m.find()).as("a form on " + page).isTrue();
        return m.group(1);
    }

    private Map<String, String> requeueJobs(String csrf) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("tenant", "acme", "namespace", "default", "queue", "jobs"));
        if (csrf != null) {
            form.put("csrf", csrf);
        }
        return form;
    }

    private long deadJobs() throws Exception {
        return join(cache.admin().tenant("acme").queues()).stream().filter(q -> q.name().equals("jobs"))
                .mapToLong(QueueInfo::dead).sum();
    }

    private static ConsoleOptions acting() {
        return ConsoleOptions.defaults().withActionsEnabled(true);
    }

    @Test
    void pagesShowTheAdminNumbersAndHideValues() throws Exception {
        serve(BrickworksConsole.of(cache, ConsoleOptions.defaults()), false);

        String queues = get("queues").body();
        assertThat(queues).contains("data-key=\"acme/default/jobs\"").contains("<td data-col=\"dead\"><a href=\"queue?tenant=acme&amp;namespace=default&amp;queue=jobs\">1</a>");
        String dead = get("queue?tenant=acme&namespace=default&queue=jobs").body();
        assertThat(dead).contains("attempt 1: boom").contains("hidden (14 chars)").doesNotContain("secret-payload");
        assertThat(get("tenants").headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).startsWith("default-src 'none'"));
        assertThat(get("nothing").statusCode()).isEqualTo(404);
        assertThat(get("charts").body()).contains("No meter registry");
    }

    @Test
    void theQueuePageShowsWhatTheAdminApiShows() throws Exception {
        serve(BrickworksConsole.of(cache, ConsoleOptions.defaults()), false);
        QueueStatus status = join(cache.admin().queue("acme", "default", "work", 10));
        QueueStatus.InFlightJob job = status.inFlight().get(0);
        String delayed = status.delayedJobs().get(0).id();

        String page = get("queue?tenant=acme&namespace=default&queue=work").body();

        assertThat(page).contains("<dd id=\"paused\">running</dd>", "<dd id=\"waiting\">" + status.waiting() + "</dd>",
                "<dd id=\"inFlight\">1</dd>", "<tr data-key=\"" + job.id() + "\">",
                "<td data-col=\"consumer\">worker-7</td>", "<td data-col=\"attempt\">" + job.attempt() + "</td>",
                "<dd id=\"delayed\">1</dd>", "<tr data-key=\"" + delayed + "\"><td data-col=\"id\">" + delayed
                        + "</td><td data-col=\"dueIn\">")
                .doesNotContain("Pause</button>");
        assertThat(get("queue?tenant=acme&namespace=default&queue=").statusCode()).isEqualTo(400);
    }

    @Test
    void aHostileNameOrProgressRendersAsText() throws Exception {
        serve(BrickworksConsole.of(cache, ConsoleOptions.defaults()), false);

        String queues = get("queues").body();
        String work = get("queue?tenant=acme&namespace=default&queue=work").body();

        assertThat(queues).doesNotContain(HOSTILE).contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(work).doesNotContain(HOSTILE_PROGRESS)
                .contains("<td data-col=\"progress\">&lt;b onmouseover=alert(2)&gt;half&lt;/b&gt;</td>");
    }

    /** Negative control: with the escaping planted off, the same checks see the markup. */
    @Test
    void withoutEscapingTheMarkupWouldReachThePage() throws Exception {
        serve(BrickworksConsole.of(cache, ConsoleOptions.defaults()).planted(false, true), false);

        assertThat(get("queues").body()).contains(HOSTILE);
        assertThat(get("queue?tenant=acme&namespace=default&queue=work").body()).contains(HOSTILE_PROGRESS);
    }

    private Map<String, String> pauseWork(String csrf, String paused) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("tenant", "acme", "namespace", "default", "queue", "work",
                "paused", paused));
        if (csrf != null) {
            form.put("csrf", csrf);
        }
        return form;
    }

    private boolean workPaused() throws Exception {
        return join(cache.admin().queue("acme", "default", "work", 1)).paused();
    }

    @Test
    void pausingAQueueIsAnActionLikeTheOthers() throws Exception {
        serve(BrickworksConsole.of(cache, acting()), true);
        String csrf = csrfOf("queue?tenant=acme&namespace=default&queue=work");

        assertThat(post("pause-queue", pauseWork(null, "true")).statusCode()).isEqualTo(403);
        assertThat(post("pause-queue", pauseWork(csrf + "x", "true")).body()).contains("missing or wrong CSRF token");
        HttpResponse<String> bad = post("pause-queue", pauseWork(csrf, "yes"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("paused must be true or false, not &#39;yes&#39;");
        assertThat(workPaused()).isFalse();

        HttpResponse<String> paused = post("pause-queue", pauseWork(csrf, "true"));

        assertThat(paused.statusCode()).isEqualTo(303);
        assertThat(paused.headers().firstValue("Location"))
                .hasValue("queue?tenant=acme&namespace=default&queue=work&done=paused");
        assertThat(workPaused()).isTrue();
        assertThat(get("queue?tenant=acme&namespace=default&queue=work").body())
                .contains("<dd id=\"paused\">paused</dd>").contains("Resume</button>");

        assertThat(post("pause-queue", pauseWork(csrf, "false")).statusCode()).isEqualTo(303);
        assertThat(workPaused()).isFalse();
    }

    @Test
    void pausingIsRefusedWhenActionsAreOffOrTheRequestMayNotAct() throws Exception {
        serve(BrickworksConsole.of(cache, ConsoleOptions.defaults()), true);
        String off = post("pause-queue", pauseWork("any-token", "true")).body();
        server.stop(0);
        serve(BrickworksConsole.of(cache, acting()), false);
        get("queues");
        String notAllowed = post("pause-queue", pauseWork("anything", "true")).body();

        assertThat(off).contains("actions are disabled");
        assertThat(notAllowed).contains("not authorized to run actions");
        assertThat(workPaused()).isFalse();
    }

    /** Negative control: with the CSRF check planted off, a forged pause would run. */
    @Test
    void withoutTheCsrfCheckAForgedPauseWouldRun() throws Exception {
        serve(BrickworksConsole.of(cache, acting()).planted(true, false), true);

        assertThat(post("pause-queue", pauseWork(null, "true")).statusCode()).isEqualTo(303);
        assertThat(workPaused()).isTrue();
    }

    @Test
    void actionsAreOffByDefault() throws Exception {
        serve(BrickworksConsole.of(cache, ConsoleOptions.defaults()), true);
        get("queues");

        HttpResponse<String> refused = post("requeue", requeueJobs("any-token"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("actions are disabled");
        assertThat(deadJobs()).isEqualTo(1);
    }

    @Test
    void aRequestThatMayNotActIsRefused() throws Exception {
        serve(BrickworksConsole.of(cache, acting()), false);
        get("queues");

        HttpResponse<String> refused = post("purge-dead", requeueJobs("anything"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("not authorized to run actions");
        assertThat(deadJobs()).isEqualTo(1);
    }

    @Test
    void anActionWithoutTheCsrfTokenIsRefusedAndWithItRuns() throws Exception {
        serve(BrickworksConsole.of(cache, acting()), true);
        String csrf = csrfOf("queue?tenant=acme&namespace=default&queue=jobs");

        assertThat(post("requeue", requeueJobs(null)).statusCode()).isEqualTo(403);
        assertThat(post("requeue", requeueJobs(csrf + "x")).body()).contains("missing or wrong CSRF token");
        assertThat(deadJobs()).isEqualTo(1);

        HttpResponse<String> done = post("requeue", requeueJobs(csrf));

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).hasValue("queue?tenant=acme&namespace=default&queue=jobs&done=requeued+1");
        assertThat(deadJobs()).isZero();
    }

    /** Negative control: with the CSRF check planted off, a POST without the token changes the store. */
    @Test
    void withoutTheCsrfCheckAForgedPostWouldRun() throws Exception {
        serve(BrickworksConsole.of(cache, acting()).planted(true, false), true);

        assertThat(post("requeue", requeueJobs(null)).statusCode()).isEqualTo(303);
        assertThat(deadJobs()).isZero();
    }

    @Test
    void aPurgeIsADryRunFirstAndNeedsTheTenantsName() throws Exception {
        serve(BrickworksConsole.of(cache, acting()), true);
        String csrf = csrfOf("tenants");
        long keys = join(cache.admin().tenant("acme").tenants()).get(0).keys();

        String dry = post("purge-tenant", Map.of("tenant", "acme", "step", "dry-run", "csrf", csrf)).body();
        HttpResponse<String> unconfirmed = post("purge-tenant", Map.of("tenant", "acme", "step", "purge", "csrf", csrf,
                "confirm", "acm"));

        assertThat(dry).contains("dry run: " + keys + " keys").contains("Type the tenant's name to confirm");
        assertThat(unconfirmed.statusCode()).isEqualTo(403);
        assertThat(join(cache.admin().tenant("acme").tenants())).isNotEmpty();

        String purged = post("purge-tenant", Map.of("tenant", "acme", "step", "purge", "csrf", csrf, "confirm", "acme"))
                .body();

        assertThat(purged).contains("deleted " + keys + " keys, 0 left");
        assertThat(join(cache.admin().tenant("acme").tenants())).isEmpty();
    }

    @Test
    void aStuckLockIsReleasedFromItsOwnerOnly() throws Exception {
        assertThat(join(cache.forTenant("acme").attemptDistributedLock("nightly", Duration.ofMinutes(5)))).isTrue();
        serve(BrickworksConsole.of(cache, acting()), true);
        String csrf = csrfOf("locks");
        String owner = join(cache.admin().locks()).get(0).owner();

        String wrongOwner = post("release-lock", Map.of("tenant", "acme", "name", "nightly", "owner", owner + "x",
                "csrf", csrf)).body();
        String released = post("release-lock", Map.of("tenant", "acme", "name", "nightly", "owner", owner,
                "csrf", csrf)).body();

        assertThat(wrongOwner).contains("not released");
        assertThat(released).contains(": released.");
        assertThat(join(cache.admin().locks())).isEmpty();
    }
}
