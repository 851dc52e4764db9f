package io.brickworks.cache.redis;

import io.brickworks.cache.spi.PopHandoff;
import io.brickworks.cache.spi.QueueClaim;
import io.brickworks.cache.spi.QueueClaimRequest;
import io.brickworks.cache.spi.QueueDeadLetter;
import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.spi.QueuePushed;
import io.brickworks.cache.spi.QueueSettlement;
import io.brickworks.cache.spi.QueueState;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMoveArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Waiting receives and acknowledged queues on Redis: the waits as blocking commands on the
 * {@link BlockingConnections} (never on the shared connection), every other step as one script of
 * {@link RedisQueueScripts} on the shared connection, called by its SHA.
 */
final class RedisQueues implements AutoCloseable {

    private final RedisChannel link;
    private final BlockingConnections blocking;
    /** The waits of this backend ({@link #await}) by queue list key, for {@link #wake}. */
    private final ConcurrentHashMap<String, Set<CompletableFuture<Boolean>>> localWaiters =
            new ConcurrentHashMap<>();

    RedisQueues(RedisChannel link, long commandTimeoutMillis) {
        this.link = link;
        this.blocking = new BlockingConnections(link, commandTimeoutMillis);
    }

    /** The pool of dedicated connections, shared with the waits of synced-replica locks. */
    BlockingConnections blocking() {
        return blocking;
    }

    private static String[] keys(QueueKeys keys) {
        return keys.all().toArray(new String[0]);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static long number(Object reply) {
        return reply instanceof Long n ? n : Long.parseLong(text(reply));
    }

    private double seconds(long millis) {
        return Math.max(1, Math.min(millis, blocking.sliceMillis())) / 1000.0;
    }

    /**
     * {@code LPOP} (no wait), or {@code BLPOP} in slices until an element comes, the wait ends or the
     * result is completed by someone else; then the handoff (see {@link #handOver}).
     */
    <T> CompletableFuture<T> popLeft(String key, long waitMillis, Function<byte[], T> decode) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (waitMillis == 0) {
            link.call(c -> c.lpop(key), item -> item).whenComplete((item, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    handOver(key, item, decode, result);
                }
            });
        } else {
            popSlice(key, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis), decode, result);
        }
        return result;
    }

    private <T> void popSlice(String key, long deadline, Function<byte[], T> decode, CompletableFuture<T> result) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (result.isDone()) {
            return;
        }
        if (remaining <= 0) {
            handOver(key, null, decode, result);
            return;
        }
        double timeout = seconds(remaining);
        blocking.<KeyValue<String, byte[]>>run(remaining, c -> c.commands().blpop(timeout, key).toCompletableFuture())
                .whenComplete((popped, error) -> {
                    if (error != null) {
                        result.completeExceptionally(link.faults().translate(error));
                    } else if (popped != null && popped.hasValue()) {
                        handOver(key, popped.getValue(), decode, result);
                    } else {
                        popSlice(key, deadline, decode, result);
                    }
                });
    }

    /** The handoff ({@link PopHandoff}); an element not handed over goes back to the head with {@code LPUSH}. */
    private <T> void handOver(String key, byte[] item, Function<byte[], T> decode, CompletableFuture<T> result) {
        PopHandoff.handOver(result, item, decode, back -> link.call(c -> c.lpush(key, back), n -> n));
    }

    /**
     * One {@code BLMOVE} from the list to staging (a slice at most); completed early, with true, when
     * this backend pushes to the queue with a job id or a priority ({@link #push}), since such items
     * do not go to the list that the {@code BLMOVE} watches. (Pushes of that kind by other processes
     * are seen within the slice.)
     */
    CompletableFuture<Boolean> await(QueueKeys keys, long waitMillis) {
        CompletableFuture<Boolean> woken = new CompletableFuture<>();
        Set<CompletableFuture<Boolean>> waiters = localWaiters.computeIfAbsent(keys.list(),
                k -> ConcurrentHashMap.newKeySet());
        waiters.add(woken);
        woken.whenComplete((r, e) -> waiters.remove(woken));
        double timeout = seconds(waitMillis);
        LMoveArgs leftToRight = LMoveArgs.Builder.leftRight();
        blocking.<byte[]>run(waitMillis, c -> c.commands()
                        .blmove(keys.list(), keys.staging(), leftToRight, timeout).toCompletableFuture())
                .whenComplete((moved, error) -> {
                    if (error != null) {
                        woken.completeExceptionally(link.faults().translate(error));
                    } else {
                        woken.complete(moved != null);
                    }
                });
        return woken;
    }

    /** Completes the waits of this backend on the queue at {@code list}. */
    private void wake(String list) {
        Set<CompletableFuture<Boolean>> waiters = localWaiters.get(list);
        if (waiters != null) {
            for (CompletableFuture<Boolean> w : waiters) {
                w.complete(true);
            }
        }
    }

    CompletableFuture<QueueClaim> claim(QueueKeys keys, QueueClaimRequest request) {
        String[] k = keys(keys);
        byte[][] args = {RedisBackend.number(request.visibilityMillis()), RedisBackend.number(request.maxAttempts()),
            utf8(request.receipt()), utf8(request.consumer()), RedisBackend.number(request.concurrencyLimit()),
            RedisBackend.number(request.ratePerSecond())};
        return link.call(c -> RedisQueueScripts.CLAIM.<List<Object>>run(c, k, args), reply -> switch (reply.size()) {
            case 1 -> QueueClaim.none(number(reply.get(0)));
            case 2 -> QueueClaim.heldBack(number(reply.get(0)));
            default -> QueueClaim.of(text(reply.get(0)), (byte[]) reply.get(1), number(reply.get(2)));
        });
    }

    CompletableFuture<QueueState> state(QueueKeys keys, int limit) {
        String[] k = keys(keys);
        byte[] n = RedisBackend.number(limit);
        return link.call(c -> RedisQueueScripts.STATE.<List<Object>>run(c, k, n), reply -> {
            int listedInFlight = (int) number(reply.get(6));
            int listedDead = (int) number(reply.get(7));
            int at = 8;
            List<QueueState.InFlight> inFlight = new ArrayList<>(listedInFlight);
            for (int i = 0; i < listedInFlight; i++, at += 5) {
                String owner = text(reply.get(at + 1));
                int cut = owner.lastIndexOf('\n');
                inFlight.add(new QueueState.InFlight(text(reply.get(at)), cut < 0 ? owner : owner.substring(0, cut),
                        number(reply.get(at + 2)), cut < 0 ? 0 : Long.parseLong(owner.substring(cut + 1)),
                        (long) Double.parseDouble(text(reply.get(at + 3))), text(reply.get(at + 4))));
            }
            List<QueueDeadLetter> dead = new ArrayList<>(listedDead);
            for (int i = 0; i < listedDead; i++, at += 4) {
                dead.add(new QueueDeadLetter(text(reply.get(at)), (byte[]) reply.get(at + 1), number(reply.get(at + 2)),
                        text(reply.get(at + 3))));
            }
            List<QueueState.Later> later = new ArrayList<>();
            for (; at + 1 < reply.size(); at += 2) {
                later.add(new QueueState.Later(text(reply.get(at)), (long) Double.parseDouble(text(reply.get(at + 1)))));
            }
            return new QueueState(number(reply.get(1)), number(reply.get(2)), inFlight, number(reply.get(3)), dead,
                    number(reply.get(4)), number(reply.get(5)) == 1, number(reply.get(0)), later);
        });
    }

    CompletableFuture<Boolean> pause(QueueKeys keys, boolean paused) {
        String[] k = keys(keys);
        byte[] flag = utf8(paused ? "1" : "0");
        return link.call(c -> RedisQueueScripts.PAUSE.<Boolean>run(c, k, flag), b -> b);
    }

    CompletableFuture<QueuePushed> push(QueueKeys keys, byte[] item, long delayMillis, int priority, String jobId) {
        String[] k = keys(keys);
        byte[][] args = {item, RedisBackend.number(delayMillis), RedisBackend.number(priority),
            utf8(jobId == null ? "" : jobId)};
        return link.call(c -> RedisQueueScripts.PUSH.<List<Object>>run(c, k, args), reply -> {
            QueuePushed pushed = new QueuePushed(text(reply.get(0)), number(reply.get(1)) == 1);
            if (!pushed.duplicate() && delayMillis == 0) {
                wake(keys.list());
            }
            return pushed;
        });
    }

    CompletableFuture<Boolean> ack(QueueKeys keys, String id, String receipt, long dedupWindowMillis) {
        String[] k = keys(keys);
        byte[][] args = {utf8(id), utf8(receipt), RedisBackend.number(dedupWindowMillis)};
        return link.call(c -> RedisQueueScripts.ACK.<Boolean>run(c, k, args), b -> b);
    }

    CompletableFuture<QueueSettlement> release(QueueKeys keys, String id, String receipt, long delayMillis,
                                               String note, long maxAttempts, boolean uncount) {
        String[] k = keys(keys);
        byte[][] args = {utf8(id), utf8(receipt), RedisBackend.number(delayMillis), utf8(note),
            RedisBackend.number(maxAttempts), utf8(uncount ? "1" : "0")};
        return link.call(c -> RedisQueueScripts.RELEASE.<Long>run(c, k, args),
                n -> QueueSettlement.values()[n.intValue()]);
    }

    CompletableFuture<Boolean> extend(QueueKeys keys, String id, String receipt, long visibilityMillis,
                                      String progress) {
        String[] k = keys(keys);
        byte[][] args = {utf8(id), utf8(receipt), RedisBackend.number(visibilityMillis),
            utf8(progress == null ? "0" : "1"), utf8(progress == null ? "" : progress)};
        return link.call(c -> RedisQueueScripts.EXTEND.<Boolean>run(c, k, args), b -> b);
    }

    private static byte[][] ids(List<String> ids) {
        byte[][] out = new byte[ids.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = utf8(ids.get(i));
        }
        return out;
    }

    CompletableFuture<Long> requeueDead(QueueKeys keys, List<String> ids) {
        String[] k = keys(keys);
        byte[][] args = ids(ids);
        return link.call(c -> RedisQueueScripts.REQUEUE_DEAD.<Long>run(c, k, args), n -> n);
    }

    CompletableFuture<Long> purgeDead(QueueKeys keys, List<String> ids) {
        String[] k = keys(keys);
        byte[][] args = ids(ids);
        return link.call(c -> RedisQueueScripts.PURGE_DEAD.<Long>run(c, k, args), n -> n);
    }

    @Override
    public void close() {
        blocking.close();
    }
}
