package io.brickworks.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.FunctionInfo;
import io.brickworks.cache.admin.LockInfo;
import io.brickworks.cache.admin.QueueInfo;
import io.brickworks.cache.admin.TenantUsage;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueStatus;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.tck.RedisServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The console of the sample application in a real browser (headless Chromium through the system's
 * chromedriver), on a real redis-server: one application context and one browser session for every
 * test. The data: tenants written through the cache, a lock held by another cache instance, an
 * acknowledged queue with a waiting item and a dead letter, another with a delayed item and a
 * delivery in flight whose progress text is HTML, a function cache, and names written by a plain client that are HTML
 * ({@code <img onerror>}, {@code <script>}). Each page's numbers must equal {@code cache.admin()}'s; a
 * hostile name or progress must render as text; a requeue from the page must move the dead letter; a
 * pause from the page must pause the queue; an action without the role or without the CSRF token must
 * be refused.
 *
 * <p>With {@code -Dconsole.screenshot=docs/console.png} the queues page is saved as a screenshot, and
 * the page of the queue {@code work} beside it ({@code docs/console-queue.png}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final String HOSTILE_QUEUE = "<img src=x onerror=\"document.title='pwned'\">";
    private static final String HOSTILE_LOCK = "<script>document.title='pwned'</script>";
    private static final String HOSTILE_PROGRESS = "<b id=\"forged\">half</b> done";

    private static RedisServer redis;
    private static ConfigurableApplicationContext app;
    private static BrickworksCache otherInstance;
    private static ChromeDriver browser;
    private static String console;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        app = new SpringApplicationBuilder(SampleApplication.class).properties(
                "server.port=0", "brickworks.cache.use-redis=true", "brickworks.cache.redis.host=" + redis.host(),
                "brickworks.cache.redis.port=" + redis.port(), "sample.console.operator-password=operator-pw",
                "sample.console.viewer-password=viewer-pw", "brickworks.console.sample-every=1s",
                "brickworks.console.window=2m").run();
        console = "http://127.0.0.1:" + app.getBean(Environment.class).getProperty("local.server.port")
                + "/actuator/brickworks/";
        BrickworksCache cache = app.getBean(BrickworksCache.class);
        writeData(cache);

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        Path profile = Files.createTempDirectory("console-chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (otherInstance != null) {
            otherInstance.close();
        }
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static <T> T join(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static void writeData(BrickworksCache cache) throws Exception {
        BrickworksCache acme = cache.forTenant("acme");
        join(acme.setKey("a", "1"));
        join(acme.setKey("b", "2", io.brickworks.cache.SetOptions.options().namespace("users")));
        join(acme.functions().function("prices.quote", String.class)
                .async(symbol -> CompletableFuture.completedFuture("q-" + symbol)).apply("EUR"));
        ReliableQueue jobs = acme.reliableQueue("jobs", QueueOptions.defaults().withMaxAttempts(1));
        join(jobs.push("j1"));
        join(jobs.push("j2"));
        Delivery failed = join(jobs.receive(Duration.ofSeconds(5))).orElseThrow();
        assertThat(join(failed.retry(Duration.ZERO, "card declined"))).isTrue();
        ReliableQueue work = acme.reliableQueue("work", QueueOptions.defaults().withConsumerName("worker-7")
                .withVisibilityTimeout(Duration.ofMinutes(10)));
        join(work.push("w1"));
        join(work.push("w2"));
        join(work.push("w3", Duration.ofHours(1)));
        Delivery running = join(work.receive(Duration.ofSeconds(5))).orElseThrow();
        assertThat(join(running.heartbeat(HOSTILE_PROGRESS))).isTrue();
        join(cache.forTenant("globex").setKey("a", "1"));

        otherInstance = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                .redisHost(redis.host()).redisPort(redis.port()).build()).build();
        assertThat(join(otherInstance.forTenant("acme").tryLock("nightly", Duration.ofMinutes(5)))).isPresent();

        // names a plain client wrote, which are HTML
        redis.cli("RPUSH", "brickworks:evil:default:" + HOSTILE_QUEUE, "x");
        redis.cli("SET", "brickworks:evil:__locks__:" + HOSTILE_LOCK, "1", "EX", "600");
    }

    private static CacheAdmin admin() {
        return app.getBean(BrickworksCache.class).admin();
    }

    private static void login(String user, String password) {
        browser.manage().deleteAllCookies();
        browser.get(console);
        browser.findElement(By.name("username")).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().startsWith(console));
    }

    private static void open(String page) {
        browser.get(console + page);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Brickworks console");
    }

    /** The cells of {@code table}'s row {@code key}, by column. */
    private static Map<String, String> row(String table, String key) {
        Map<String, String> cells = new HashMap<>();
        for (WebElement tr : browser.findElements(By.cssSelector("#" + table + " tbody tr[data-key]"))) {
            if (key.equals(tr.getDomAttribute("data-key"))) {
                for (WebElement td : tr.findElements(By.cssSelector("td[data-col]"))) {
                    cells.put(td.getDomAttribute("data-col"), td.getText());
                }
                return cells;
            }
        }
        throw new AssertionError("no row " + key + " in table " + table + ":\n" + browser.getPageSource());
    }

    private static int rows(String table) {
        return browser.findElements(By.cssSelector("#" + table + " tbody tr[data-key]")).size();
    }

    /**
     * Submits a form of {@code fields} to the console's {@code action} from the page, as a page of
     * another origin cannot (the console's Content-Security-Policy allows no fetch, and a form only to
     * itself); with {@code withSpringToken} it carries Spring Security's CSRF token from the page, never
     * the console's own (its cookie is HttpOnly). Returns the text of the answer page.
     */
    private static String submit(String action, Map<String, String> fields, boolean withSpringToken) {
        ((JavascriptExecutor) browser).executeScript("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                const add = (name, value) => {
                  const input = document.createElement('input');
                  input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
                };
                for (const [k, v] of Object.entries(arguments[1])) add(k, v);
                if (arguments[2]) {
                  for (const m of document.querySelectorAll('meta[name=form-field]')) add(m.dataset.name, m.content);
                }
                document.body.appendChild(form);
                form.submit();
                """, action, fields, withSpringToken);
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.getCurrentUrl().endsWith("/queues"));
        return browser.findElement(By.tagName("body")).getText();
    }

    private static QueueInfo jobs() throws Exception {
        return join(admin().tenant("acme").queues()).stream().filter(q -> q.name().equals("jobs")).findFirst()
                .orElseThrow();
    }

    private static Map<String, String> jobsForm() {
        return Map.of("tenant", "acme", "namespace", "default", "queue", "jobs");
    }

    @Test
    @Order(1)
    void anActionWithoutTheRoleIsRefused() throws Exception {
        login("viewer", "viewer-pw");
        open("queues");
        assertThat(browser.findElement(By.id("mode")).getText()).contains("not for you");

        String refused = submit("purge-dead", jobsForm(), true);

        assertThat(refused).contains("Refused: not authorized to run actions. Nothing was changed.");
        assertThat(jobs().dead()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void everyPageShowsTheNumbersOfTheAdminApi() throws Exception {
        login("operator", "operator-pw");

        open("tenants");
        List<TenantUsage> tenants = join(admin().tenants());
        assertThat(rows("tenants")).isEqualTo(tenants.size());
        for (TenantUsage t : tenants) {
            assertThat(row("tenants", t.tenant()).get("keys")).isEqualTo(Long.toString(t.keys()));
        }

        open("locks");
        List<LockInfo> locks = join(admin().locks());
        assertThat(rows("locks")).isEqualTo(locks.size());
        LockInfo nightly = locks.stream().filter(l -> l.name().equals("nightly")).findFirst().orElseThrow();
        Map<String, String> nightlyRow = row("locks", "acme/nightly");
        assertThat(nightlyRow.get("owner")).isEqualTo(nightly.owner());
        assertThat(nightlyRow.get("here")).isEqualTo("another process");
        assertThat(nightlyRow.get("fencingToken")).isEqualTo(Long.toString(nightly.lastFencingToken()));

        open("queues");
        List<QueueInfo> queues = join(admin().queues());
        assertThat(rows("queues")).isEqualTo(queues.size());
        for (QueueInfo q : queues) {
            Map<String, String> cells = row("queues", q.tenant() + "/" + q.namespace() + "/" + q.name());
            assertThat(cells.get("waiting")).isEqualTo(Long.toString(q.waiting()));
            assertThat(cells.get("delayed")).isEqualTo(Long.toString(q.delayed()));
            assertThat(cells.get("inFlight")).isEqualTo(Long.toString(q.inFlight()));
            assertThat(cells.get("dead")).isEqualTo(Long.toString(q.dead()));
        }
        assertThat(jobs().dead()).isEqualTo(1);

        open("functions");
        List<FunctionInfo> functions = join(admin().functions());
        assertThat(rows("functions")).isEqualTo(functions.size());
        assertThat(row("functions", "acme/prices.quote").get("entries")).isEqualTo("1");

        open("health");
        assertThat(browser.findElement(By.id("health")).getText()).startsWith("reachable");
        open("near-cache");
        assertThat(browser.findElement(By.id("near-cache")).getText()).isEqualTo("off");
        open("charts");
        assertThat(browser.findElements(By.cssSelector("figure.chart svg"))).hasSize(6);
        open("");
        assertThat(browser.findElement(By.id("count-queues")).getText()).isEqualTo(Integer.toString(queues.size()));
    }

    @Test
    @Order(3)
    void aHostileNameRendersAsText() {
        open("queues");
        assertThat(row("queues", "evil/default/" + HOSTILE_QUEUE).get("name")).isEqualTo(HOSTILE_QUEUE);
        open("locks");
        assertThat(row("locks", "evil/" + HOSTILE_LOCK).get("name")).isEqualTo(HOSTILE_LOCK);

        assertThat(browser.findElements(By.cssSelector("main img, main script"))).isEmpty();
        assertThat(browser.getTitle()).isEqualTo("Locks - Brickworks console");
    }

    @Test
    @Order(4)
    void anActionWithoutTheCsrfTokenIsRefused() throws Exception {
        open("queues");

        String noConsoleToken = submit("requeue", jobsForm(), true);
        open("queues");
        String noTokenAtAll = submit("requeue", jobsForm(), false);

        assertThat(noConsoleToken).contains("Refused: missing or wrong CSRF token. Nothing was changed.");
        assertThat(noTokenAtAll).doesNotContain("requeued").containsIgnoringCase("forbidden");
        assertThat(jobs().dead()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void aRequeueFromThePageMovesTheDeadLetter() throws Exception {
        QueueInfo before = jobs();
        open("queues");
        browser.findElement(By.cssSelector("tr[data-key='acme/default/jobs'] td[data-col=dead] a")).click();
        assertThat(row("dead", join(app.getBean(BrickworksCache.class).forTenant("acme")
                .reliableQueue("jobs").deadLetters(1)).get(0).id()).get("reason")).isEqualTo("attempt 1: card declined");
        assertThat(browser.findElement(By.cssSelector("#dead td[data-col=item]")).getText()).isEqualTo("hidden (2 chars)");
        screenshotIfAsked();

        browser.findElement(By.xpath("//table[@id='dead']//button[text()='Requeue']")).click();

        assertThat(browser.findElement(By.id("done")).getText()).isEqualTo("requeued 1");
        QueueInfo after = jobs();
        assertThat(after.dead()).isZero();
        assertThat(after.waiting() + after.delayed()).isEqualTo(before.waiting() + before.delayed() + 1);
    }

    /** A duration as the console shows it ({@code 12.3 s}), in milliseconds. */
    private static long millis(String shown) {
        return Math.round(Double.parseDouble(shown.replace(" s", "")) * 1000);
    }

    @Test
    @Order(6)
    void theQueuePageShowsTheInFlightDeliveryAndPausesTheQueue() throws Exception {
        QueueStatus before = join(admin().queue("acme", "default", "work", 100));
        open("queues");
        browser.findElement(By.cssSelector("tr[data-key='acme/default/work'] td[data-col=name] a")).click();
        QueueStatus after = join(admin().queue("acme", "default", "work", 100));

        assertThat(browser.findElement(By.id("paused")).getText()).isEqualTo("running");
        assertThat(browser.findElement(By.id("waiting")).getText()).isEqualTo(Long.toString(after.waiting()));
        assertThat(browser.findElement(By.id("delayed")).getText()).isEqualTo(Long.toString(after.delayed())).isEqualTo("1");
        assertThat(browser.findElement(By.id("inFlight")).getText()).isEqualTo(Long.toString(after.inFlightCount()));
        assertThat(browser.findElement(By.id("dead-count")).getText()).isEqualTo(Long.toString(after.deadLetterCount()));
        assertThat(rows("inflight")).isEqualTo(after.inFlight().size()).isEqualTo(1);
        QueueStatus.InFlightJob job = after.inFlight().get(0);
        Map<String, String> cells = row("inflight", job.id());
        assertThat(cells.get("consumer")).isEqualTo(job.consumer()).isEqualTo("worker-7");
        assertThat(cells.get("attempt")).isEqualTo(Long.toString(job.attempt()));
        assertThat(cells.get("progress")).isEqualTo(job.progress()).isEqualTo(HOSTILE_PROGRESS);
        assertThat(browser.findElements(By.id("forged"))).isEmpty();
        // the page was read between the two admin reads; one decimal of seconds, so 50 ms either side
        assertThat(millis(cells.get("age"))).isBetween(before.inFlight().get(0).age().toMillis() - 50,
                job.age().toMillis() + 50);
        assertThat(rows("delayed")).isEqualTo(after.delayedJobs().size()).isEqualTo(1);
        QueueStatus.DelayedJob later = after.delayedJobs().get(0);
        assertThat(millis(row("delayed", later.id()).get("dueIn"))).isBetween(later.dueIn().toMillis() - 50,
                before.delayedJobs().get(0).dueIn().toMillis() + 50);

        browser.findElement(By.xpath("//button[text()='Pause']")).click();

        assertThat(browser.findElement(By.id("done")).getText()).isEqualTo("paused");
        assertThat(browser.findElement(By.id("paused")).getText()).isEqualTo("paused");
        assertThat(join(admin().queue("acme", "default", "work", 1)).paused()).isTrue();
    }

    private static void screenshotIfAsked() throws Exception {
        String target = System.getProperty("console.screenshot");
        if (target != null) {
            open("queues");
            Files.write(Path.of(target), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            open("queue?tenant=acme&namespace=default&queue=work");
            Files.write(Path.of(target.replaceFirst("(\\.png)?$", "-queue.png")),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            browser.navigate().back();
            browser.navigate().back();
        }
    }
}
