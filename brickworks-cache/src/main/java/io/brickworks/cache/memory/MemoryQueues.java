package io.brickworks.cache.memory;

import io.brickworks.cache.Ticker;
import io.brickworks.cache.spi.KeyInfo;
import io.brickworks.cache.spi.PopHandoff;
import io.brickworks.cache.spi.QueueClaim;
import io.brickworks.cache.spi.QueueClaimRequest;
import io.brickworks.cache.spi.QueueDeadLetter;
import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.spi.QueuePushed;
import io.brickworks.cache.spi.QueueSettlement;
import io.brickworks.cache.spi.QueueState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The memory backend's waiting receivers and acknowledged queues. Waiting is done with futures that
 * a push completes ({@link #signal}), never with a parked thread; the timers run on one daemon
 * thread ({@code brickworks-memory-queues}), created on first use and stopped on {@link #close()}.
 * The state of an acknowledged queue (identities, attempts, in-flight and delayed items, dead
 * letters) is kept per queue, outside the bounded entry cache, and changed under the queue's lock;
 * raw items stay in the list entry that {@code pushToQueue} writes.
 */
final class MemoryQueues {

    /** How long a receiver held back by a pause or a limit waits before it looks again, at most (ms). */
    static final long HELD_BACK_POLL_MILLIS = 250;

    private final Ticker ticker;
    /** Removes and returns the first element of a list, or null. */
    private final Function<String, byte[]> popFirst;
    /** Puts an element back at the head of a list. */
    private final BiConsumer<String, byte[]> pushFirst;
    /** Whether the list at a key has an element. */
    private final Predicate<String> hasElements;
    private final ConcurrentHashMap<String, Set<CompletableFuture<Boolean>>> waiters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, QueueRecords> queues = new ConcurrentHashMap<>();
    private ScheduledThreadPoolExecutor timers;
    private boolean closed;

    MemoryQueues(Ticker ticker, Function<String, byte[]> popFirst, BiConsumer<String, byte[]> pushFirst,
                 Predicate<String> hasElements) {
        this.ticker = ticker;
        this.popFirst = popFirst;
        this.pushFirst = pushFirst;
        this.hasElements = hasElements;
    }

    private long nowMillis() {
        return ticker.read() / 1_000_000L;
    }

    private synchronized ScheduledExecutorService timers() {
        if (closed) {
            throw new IllegalStateException("the memory backend is closed");
        }
        if (timers == null) {
            timers = new ScheduledThreadPoolExecutor(1, task -> {
                Thread t = new Thread(task, "brickworks-memory-queues");
                t.setDaemon(true);
                return t;
            });
            timers.setRemoveOnCancelPolicy(true);
        }
        return timers;
    }

    // ------------------------------------------------------------------ waiting

    /** Wakes every receiver waiting on {@code key}: called after each push to the list at {@code key}. */
    void signal(String key) {
        Set<CompletableFuture<Boolean>> woken = waiters.remove(key);
        if (woken != null) {
            for (CompletableFuture<Boolean> w : woken) {
                w.complete(true);
            }
        }
    }

    /** A future that {@link #signal} completes with true, or the timer with false after {@code waitMillis}. */
    private CompletableFuture<Boolean> register(String key, long waitMillis) {
        CompletableFuture<Boolean> signal = new CompletableFuture<>();
        waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(signal);
        var timer = timers().schedule(() -> signal.complete(false), waitMillis, TimeUnit.MILLISECONDS);
        signal.whenComplete((woken, error) -> {
            timer.cancel(false);
            waiters.computeIfPresent(key, (k, set) -> {
                set.remove(signal);
                return set.isEmpty() ? null : set;
            });
        });
        return signal;
    }

    <T> CompletableFuture<T> popLeft(String key, long waitMillis, Function<byte[], T> decode) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        attemptPop(key, deadline, decode, result);
        return result;
    }

    private <T> void attemptPop(String key, long deadline, Function<byte[], T> decode, CompletableFuture<T> result) {
        if (result.isDone()) {
            return;
        }
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        // registered before looking, so that a push between the look and the wait is not missed
        CompletableFuture<Boolean> signal = remaining > 0 ? register(key, remaining) : null;
        byte[] item = popFirst.apply(key);
        if (item != null || signal == null) {
            if (signal != null) {
                signal.cancel(false);
            }
            handOver(key, item, decode, result);
            return;
        }
        result.whenComplete((r, e) -> signal.cancel(false));
        signal.whenComplete((woken, e) -> attemptPop(key, deadline, decode, result));
    }

    /** The handoff ({@link PopHandoff}); an item not handed over goes back to the head of the list. */
    private <T> void handOver(String key, byte[] item, Function<byte[], T> decode, CompletableFuture<T> result) {
        PopHandoff.handOver(result, item, decode, back -> pushFirst.accept(key, back));
    }

    CompletableFuture<Boolean> await(QueueKeys keys, long waitMillis) {
        CompletableFuture<Boolean> signal = register(keys.list(), waitMillis);
        QueueRecords q = queues.get(keys.list());
        if (hasElements.test(keys.list()) || q != null && q.dueIn(nowMillis()) == 0) {
            signal.complete(true);
        }
        return signal;
    }

    // ------------------------------------------------------------------ acknowledged delivery

    private QueueRecords state(QueueKeys keys) {
        return queues.computeIfAbsent(keys.list(), k -> new QueueRecords());
    }

    /** The same steps, in the same order, as the Redis script {@code queue-claim}. */
    QueueClaim claim(QueueKeys keys, QueueClaimRequest request) {
        QueueRecords q = state(keys);
        synchronized (q) {
            long now = nowMillis();
            if (q.paused) {
                return QueueClaim.heldBack(HELD_BACK_POLL_MILLIS);
            }
            if (request.ratePerSecond() > 0 && now < q.rateWindowEnd && q.rateUsed >= request.ratePerSecond()) {
                return QueueClaim.heldBack(q.rateWindowEnd - now);
            }
            String id;
            while ((id = q.inflight.firstDue(now)) != null) {
                long n = q.attempts.getOrDefault(id, 0L);
                q.note(id, n, "no acknowledgement within the visibility timeout");
                if (n < request.maxAttempts()) {
                    return q.claim(id, now, request);
                }
                q.inflight.remove(id);
                q.settled(id);
                q.dead.addLast(id);
            }
            if (request.concurrencyLimit() > 0 && q.inflight.size() >= request.concurrencyLimit()) {
                return QueueClaim.heldBack(Math.min(HELD_BACK_POLL_MILLIS, q.inflight.firstAt() - now));
            }
            id = q.delayed.firstDue(now);
            if (id != null) {
                q.delayed.remove(id);
                return q.claim(id, now, request);
            }
            for (int level = QueueKeys.MAX_PRIORITY - 1; level >= 0; level--) {
                id = q.priorities.get(level).pollFirst();
                if (id != null) {
                    return q.claim(id, now, request);
                }
            }
            byte[] raw = popFirst.apply(keys.list());
            if (raw != null) {
                id = Long.toString(++q.sequence);
                q.items.put(id, raw);
                return q.claim(id, now, request);
            }
            return QueueClaim.none(q.dueIn(now));
        }
    }

    /** The same steps as the Redis script {@code queue-push}. */
    QueuePushed push(QueueKeys keys, byte[] item, long delayMillis, int priority, String jobId) {
        QueueRecords q = state(keys);
        String id;
        synchronized (q) {
            long now = nowMillis();
            if (jobId != null) {
                q.done.values().removeIf(until -> until <= now);
                String holder = q.jobs.get(jobId);
                if (holder != null) {
                    return new QueuePushed(holder, true);
                }
                if (q.done.containsKey(jobId)) {
                    return new QueuePushed("", true);
                }
            }
            id = Long.toString(++q.sequence);
            q.items.put(id, item.clone());
            if (priority > 0) {
                q.priorities.get(priority - 1).addLast(id);
            } else {
                q.delayed.put(id, now + delayMillis);
            }
            if (jobId != null) {
                q.jobs.put(jobId, id);
                q.jobOf.put(id, jobId);
            }
        }
        wakeWhenDue(keys, priority > 0 ? 0 : delayMillis);
        return new QueuePushed(id, false);
    }

    /** Wakes the receivers of the queue when an item becomes due in {@code delayMillis}. */
    private void wakeWhenDue(QueueKeys keys, long delayMillis) {
        if (delayMillis <= 0) {
            signal(keys.list());
        } else {
            timers().schedule(() -> signal(keys.list()), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    boolean ack(QueueKeys keys, String id, String receipt, long dedupWindowMillis) {
        QueueRecords q = state(keys);
        synchronized (q) {
            if (!q.holds(id, receipt)) {
                return false;
            }
            q.inflight.remove(id);
            q.releaseJob(id, nowMillis(), dedupWindowMillis);
            q.forget(id);
            return true;
        }
    }

    QueueSettlement release(QueueKeys keys, String id, String receipt, long delayMillis, String note,
                            long maxAttempts, boolean uncount) {
        QueueRecords q = state(keys);
        QueueSettlement settlement;
        synchronized (q) {
            if (!q.holds(id, receipt)) {
                return QueueSettlement.NOT_HELD;
            }
            long attempt = q.attempts.get(id);
            q.inflight.remove(id);
            q.settled(id);
            q.note(id, attempt, note);
            long now = nowMillis();
            if (uncount) {
                q.attempts.put(id, attempt - 1);
                q.delayed.put(id, now);
                settlement = QueueSettlement.REQUEUED;
            } else if (attempt >= maxAttempts) {
                q.dead.addLast(id);
                settlement = QueueSettlement.DEAD_LETTERED;
            } else {
                q.delayed.put(id, now + delayMillis);
                settlement = QueueSettlement.REQUEUED;
            }
        }
        if (settlement == QueueSettlement.REQUEUED) {
            wakeWhenDue(keys, uncount ? 0 : delayMillis);
        }
        return settlement;
    }

    boolean extend(QueueKeys keys, String id, String receipt, long visibilityMillis, String progress) {
        QueueRecords q = state(keys);
        synchronized (q) {
            if (!q.holds(id, receipt)) {
                return false;
            }
            q.inflight.put(id, nowMillis() + visibilityMillis);
            if (progress != null) {
                q.progress.put(id, progress);
            }
            return true;
        }
    }

    QueueState state(QueueKeys keys, int limit, long waiting) {
        QueueRecords q = state(keys);
        synchronized (q) {
            List<QueueState.InFlight> inFlight = new ArrayList<>();
            for (DueSet.Due d : q.inflight.byTime) {
                if (inFlight.size() >= limit) {
                    break;
                }
                String[] owner = q.owners.getOrDefault(d.id(), "\n0").split("\n", 2);
                inFlight.add(new QueueState.InFlight(d.id(), owner[0], q.attempts.getOrDefault(d.id(), 0L),
                        Long.parseLong(owner[1]), d.at(), q.progress.getOrDefault(d.id(), "")));
            }
            long now = nowMillis();
            long due = q.delayed.byTime.headSet(new DueSet.Due(now, Long.MAX_VALUE, ""), true).size();
            waiting += due;
            for (ArrayDeque<String> level : q.priorities) {
                waiting += level.size();
            }
            List<QueueState.Later> later = new ArrayList<>();
            for (DueSet.Due d : q.delayed.byTime.tailSet(new DueSet.Due(now, Long.MAX_VALUE, ""), false)) {
                if (later.size() >= limit) {
                    break;
                }
                later.add(new QueueState.Later(d.id(), d.at()));
            }
            return new QueueState(waiting, q.delayed.size() - due, inFlight, q.inflight.size(), deadLetters(keys, limit),
                    q.dead.size(), q.paused, now, later);
        }
    }

    boolean pause(QueueKeys keys, boolean paused) {
        QueueRecords q = state(keys);
        boolean changed;
        synchronized (q) {
            changed = q.paused != paused;
            q.paused = paused;
        }
        if (changed && !paused) {
            signal(keys.list());
        }
        return changed;
    }

    private List<QueueDeadLetter> deadLetters(QueueKeys keys, int limit) {
        QueueRecords q = state(keys);
        synchronized (q) {
            List<QueueDeadLetter> out = new ArrayList<>();
            for (String id : q.dead) {
                if (out.size() >= limit) {
                    break;
                }
                StringBuilder history = q.history.get(id);
                out.add(new QueueDeadLetter(id, q.items.get(id).clone(), q.attempts.getOrDefault(id, 0L),
                        history == null ? "" : history.toString()));
            }
            return out;
        }
    }

    long requeueDead(QueueKeys keys, List<String> ids) {
        QueueRecords q = state(keys);
        long n;
        synchronized (q) {
            List<String> chosen = q.takeDead(ids);
            long now = nowMillis();
            for (String id : chosen) {
                q.attempts.put(id, 0L);
                q.history.computeIfAbsent(id, k -> new StringBuilder()).append("requeued from the dead letters\n");
                q.delayed.put(id, now);
            }
            n = chosen.size();
        }
        if (n > 0) {
            signal(keys.list());
        }
        return n;
    }

    long purgeDead(QueueKeys keys, List<String> ids) {
        QueueRecords q = state(keys);
        synchronized (q) {
            List<String> chosen = q.takeDead(ids);
            for (String id : chosen) {
                q.releaseJob(id, 0, 0);
                q.forget(id);
            }
            return chosen.size();
        }
    }

    // ------------------------------------------------------------------ records as the store names them

    /**
     * Hands {@code out} the name of every record that holds something, of every queue whose record
     * names start with {@code prefix}, named as on Redis ({@link QueueKeys}: {@code {<list>}:<suffix>}),
     * so that a walk over a tenant's keys finds a queue's state here as it does there.
     */
    void recordNames(String prefix, Consumer<String> out) {
        queues.forEach((list, q) -> {
            QueueKeys keys = QueueKeys.of(list);
            synchronized (q) {
                for (String name : keys.all()) {
                    if (name.startsWith(prefix) && q.size(suffix(name)) > 0) {
                        out.accept(name);
                    }
                }
            }
        });
    }

    /** What the record {@code name} holds, or null when {@code name} is not a record name. */
    KeyInfo inspectRecord(String name) {
        String list = listOf(name);
        if (list == null) {
            return null;
        }
        QueueRecords q = queues.get(list);
        String suffix = suffix(name);
        long size;
        if (q == null) {
            size = 0;
        } else {
            synchronized (q) {
                size = q.size(suffix);
            }
        }
        if (size == 0) {
            return KeyInfo.MISSING;
        }
        KeyInfo.Type type = switch (suffix) {
            case "seq" -> KeyInfo.Type.STRING;
            case "dead" -> KeyInfo.Type.LIST;
            case "inflight", "delayed" -> KeyInfo.Type.SORTED_SET;
            default -> KeyInfo.Type.HASH;
        };
        return new KeyInfo(type, type == KeyInfo.Type.STRING ? Long.toString(q.sequence).length() : size, -1);
    }

    /**
     * Deletes the record {@code name} (as Redis {@code DEL} of that key would); returns whether it held
     * something, or null when {@code name} is not a record name. A queue whose records are all empty
     * is forgotten.
     */
    Boolean deleteRecord(String name) {
        String list = listOf(name);
        if (list == null) {
            return null;
        }
        QueueRecords q = queues.get(list);
        if (q == null) {
            return false;
        }
        synchronized (q) {
            boolean held = q.clear(suffix(name));
            if (q.isEmpty()) {
                queues.remove(list, q);
            }
            return held;
        }
    }

    /** The list of a record name {@code {<list>}:<suffix>} with a known suffix, or null. */
    private static String listOf(String name) {
        int close = name.lastIndexOf("}:");
        if (!name.startsWith("{") || close < 1 || !QueueRecords.SUFFIXES.contains(name.substring(close + 2))) {
            return null;
        }
        return name.substring(1, close);
    }

    private static String suffix(String name) {
        return name.substring(name.lastIndexOf("}:") + 2);
    }

    synchronized void close() {
        closed = true;
        if (timers != null) {
            timers.shutdownNow();
        }
        for (String key : List.copyOf(waiters.keySet())) {
            Set<CompletableFuture<Boolean>> woken = waiters.remove(key);
            if (woken != null) {
                woken.forEach(w -> w.complete(false));
            }
        }
        queues.clear();
    }

    /** One acknowledged queue; guarded by its own monitor. */
    private static final class QueueRecords {
        long sequence;
        final Map<String, byte[]> items = new HashMap<>();
        final Map<String, Long> attempts = new HashMap<>();
        final Map<String, String> receipts = new HashMap<>();
        final Map<String, String> owners = new HashMap<>();
        final Map<String, String> progress = new HashMap<>();
        final List<ArrayDeque<String>> priorities = List.of(new ArrayDeque<>(), new ArrayDeque<>(),
                new ArrayDeque<>());
        final Map<String, String> jobs = new HashMap<>();
        final Map<String, String> jobOf = new HashMap<>();
        final Map<String, Long> done = new HashMap<>();
        boolean paused;
        long rateWindowEnd;
        long rateUsed;
        final Map<String, StringBuilder> history = new HashMap<>();
        final DueSet inflight = new DueSet();
        final DueSet delayed = new DueSet();
        final ArrayDeque<String> dead = new ArrayDeque<>();

        /** The suffixes of the records this state holds, as {@link QueueKeys} names them. */
        static final Set<String> SUFFIXES = Set.of("seq", "items", "attempts", "history", "inflight", "delayed",
                "dead", "receipts", "owners", "progress", "paused", "rate", "prio1", "prio2", "prio3", "jobs",
                "jobof", "done");

        /** How many entries the record {@code suffix} holds (a flag or counter: 1 once it is set). */
        long size(String suffix) {
            return switch (suffix) {
                case "seq" -> sequence > 0 ? 1 : 0;
                case "items" -> items.size();
                case "attempts" -> attempts.size();
                case "history" -> history.size();
                case "inflight" -> inflight.size();
                case "delayed" -> delayed.size();
                case "dead" -> dead.size();
                case "receipts" -> receipts.size();
                case "owners" -> owners.size();
                case "progress" -> progress.size();
                case "paused" -> paused ? 1 : 0;
                case "rate" -> rateUsed > 0 ? 1 : 0;
                case "prio1" -> priorities.get(0).size();
                case "prio2" -> priorities.get(1).size();
                case "prio3" -> priorities.get(2).size();
                case "jobs" -> jobs.size();
                case "jobof" -> jobOf.size();
                case "done" -> done.size();
                default -> 0;
            };
        }

        /** Empties the record {@code suffix}; returns whether it held something. */
        boolean clear(String suffix) {
            boolean held = size(suffix) > 0;
            switch (suffix) {
                case "seq" -> sequence = 0;
                case "items" -> items.clear();
                case "attempts" -> attempts.clear();
                case "history" -> history.clear();
                case "inflight" -> inflight.clear();
                case "delayed" -> delayed.clear();
                case "dead" -> dead.clear();
                case "receipts" -> receipts.clear();
                case "owners" -> owners.clear();
                case "progress" -> progress.clear();
                case "paused" -> paused = false;
                case "rate" -> {
                    rateUsed = 0;
                    rateWindowEnd = 0;
                }
                case "prio1" -> priorities.get(0).clear();
                case "prio2" -> priorities.get(1).clear();
                case "prio3" -> priorities.get(2).clear();
                case "jobs" -> jobs.clear();
                case "jobof" -> jobOf.clear();
                case "done" -> done.clear();
                default -> { }
            }
            return held;
        }

        boolean isEmpty() {
            return SUFFIXES.stream().allMatch(s -> size(s) == 0);
        }

        QueueClaim claim(String id, long now, QueueClaimRequest request) {
            long attempt = attempts.merge(id, 1L, Long::sum);
            inflight.put(id, now + request.visibilityMillis());
            receipts.put(id, request.receipt());
            owners.put(id, request.consumer() + "\n" + now);
            progress.remove(id);
            if (request.ratePerSecond() > 0) {
                if (now >= rateWindowEnd) {
                    rateWindowEnd = now + 1000;
                    rateUsed = 0;
                }
                rateUsed++;
            }
            return QueueClaim.of(id, items.get(id).clone(), attempt);
        }

        /** Releases the job id of item {@code id}, kept as done for {@code windowMillis} after {@code now}. */
        void releaseJob(String id, long now, long windowMillis) {
            String job = jobOf.remove(id);
            if (job != null) {
                jobs.remove(job);
                if (windowMillis > 0) {
                    done.put(job, now + windowMillis);
                }
            }
        }

        /** Forgets what belongs to a delivery (receipt, owner, progress) once it is no longer in flight. */
        void settled(String id) {
            receipts.remove(id);
            owners.remove(id);
            progress.remove(id);
        }

        /** Whether {@code id} is in flight under the delivery whose receipt is {@code receipt}. */
        boolean holds(String id, String receipt) {
            return receipt.equals(receipts.get(id)) && inflight.contains(id);
        }

        void note(String id, long attempt, String note) {
            history.computeIfAbsent(id, k -> new StringBuilder())
                    .append("attempt ").append(attempt).append(": ").append(note).append('\n');
        }

        void forget(String id) {
            items.remove(id);
            attempts.remove(id);
            settled(id);
            history.remove(id);
        }

        /** Removes and returns the dead letters {@code ids} that exist, or all of them when {@code ids} is empty. */
        List<String> takeDead(List<String> ids) {
            if (ids.isEmpty()) {
                List<String> all = new ArrayList<>(dead);
                dead.clear();
                return all;
            }
            List<String> taken = new ArrayList<>();
            for (String id : ids) {
                if (dead.remove(id)) {
                    taken.add(id);
                }
            }
            return taken;
        }

        /** Milliseconds until the first in-flight deadline or delayed item, 0 if one is due, -1 if none. */
        long dueIn(long now) {
            for (ArrayDeque<String> level : priorities) {
                if (!level.isEmpty()) {
                    return 0;
                }
            }
            long first = Math.min(inflight.firstAt(), delayed.firstAt());
            return first == Long.MAX_VALUE ? -1 : Math.max(0, first - now);
        }
    }

    /** Identities ordered by a time, with the time of each. */
    private static final class DueSet {
        record Due(long at, long order, String id) implements Comparable<Due> {
            @Override
            public int compareTo(Due o) {
                int c = Long.compare(at, o.at);
                return c != 0 ? c : Long.compare(order, o.order);
            }
        }

        final TreeSet<Due> byTime = new TreeSet<>();
        private final Map<String, Due> byId = new HashMap<>();
        private long order;

        void put(String id, long at) {
            remove(id);
            Due d = new Due(at, order++, id);
            byTime.add(d);
            byId.put(id, d);
        }

        void remove(String id) {
            Due d = byId.remove(id);
            if (d != null) {
                byTime.remove(d);
            }
        }

        int size() {
            return byId.size();
        }

        boolean contains(String id) {
            return byId.containsKey(id);
        }

        void clear() {
            byId.clear();
            byTime.clear();
        }

        String firstDue(long now) {
            return byTime.isEmpty() || byTime.first().at() > now ? null : byTime.first().id();
        }

        long firstAt() {
            return byTime.isEmpty() ? Long.MAX_VALUE : byTime.first().at();
        }
    }
}
