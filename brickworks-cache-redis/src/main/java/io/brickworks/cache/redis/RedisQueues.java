package io.brickworks.cache.redis;

import io.brickworks.cache.spi.QueueClaim;
import io.brickworks.cache.spi.QueueDeadLetter;
import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.spi.QueueSettlement;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMoveArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    RedisQueues(RedisChannel link, long commandTimeoutMillis) {
        this.link = link;
        this.blocking = new BlockingConnections(link, commandTimeoutMillis);
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

    /**
     * Completes {@code result} with the decoded element. When that fails (the caller completed the
     * future first: cancel, {@code orTimeout}, {@code completeExceptionally}), the element goes back to
     * the head of the list, so that it is handed to exactly one caller or put back.
     */
    private <T> void handOver(String key, byte[] item, Function<byte[], T> decode, CompletableFuture<T> result) {
        boolean handed;
        try {
            handed = result.complete(decode.apply(item));
        } catch (RuntimeException e) {
            handed = false;
            result.completeExceptionally(e);
        }
        if (!handed && item != null) {
            link.call(c -> c.lpush(key, item), n -> n);
        }
    }

    /** One {@code BLMOVE} from the list to staging (a slice at most). */
    CompletableFuture<Boolean> await(QueueKeys keys, long waitMillis) {
        double timeout = seconds(waitMillis);
        LMoveArgs leftToRight = LMoveArgs.Builder.leftRight();
        return blocking.<byte[]>run(waitMillis, c -> c.commands()
                        .blmove(keys.list(), keys.staging(), leftToRight, timeout).toCompletableFuture())
                .handle((moved, error) -> {
                    if (error != null) {
                        throw link.faults().translate(error);
                    }
                    return moved != null;
                });
    }

    CompletableFuture<QueueClaim> claim(QueueKeys keys, long visibilityMillis, long maxAttempts, String receipt) {
        String[] k = keys(keys);
        byte[][] args = {RedisBackend.number(visibilityMillis), RedisBackend.number(maxAttempts), utf8(receipt)};
        return link.call(c -> RedisQueueScripts.CLAIM.<List<Object>>run(c, k, args), reply -> reply.size() == 1
                ? QueueClaim.none(number(reply.get(0)))
                : new QueueClaim(text(reply.get(0)), (byte[]) reply.get(1), number(reply.get(2)), 0));
    }

    CompletableFuture<String> pushDelayed(QueueKeys keys, byte[] item, long delayMillis) {
        String[] k = keys(keys);
        byte[] delay = RedisBackend.number(delayMillis);
        return link.call(c -> RedisQueueScripts.PUSH_DELAYED.<Long>run(c, k, item, delay), String::valueOf);
    }

    CompletableFuture<Boolean> ack(QueueKeys keys, String id, String receipt) {
        String[] k = keys(keys);
        byte[][] args = {utf8(id), utf8(receipt)};
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

    CompletableFuture<Boolean> extend(QueueKeys keys, String id, String receipt, long visibilityMillis) {
        String[] k = keys(keys);
        byte[][] args = {utf8(id), utf8(receipt), RedisBackend.number(visibilityMillis)};
        return link.call(c -> RedisQueueScripts.EXTEND.<Boolean>run(c, k, args), b -> b);
    }

    CompletableFuture<List<QueueDeadLetter>> deadLetters(QueueKeys keys, int limit) {
        String[] k = keys(keys);
        byte[] n = RedisBackend.number(limit);
        return link.call(c -> RedisQueueScripts.DEAD_LETTERS.<List<Object>>run(c, k, n), reply -> {
            List<QueueDeadLetter> out = new ArrayList<>(reply.size() / 4);
            for (int i = 0; i + 3 < reply.size(); i += 4) {
                out.add(new QueueDeadLetter(text(reply.get(i)), (byte[]) reply.get(i + 1), number(reply.get(i + 2)),
                        text(reply.get(i + 3))));
            }
            return out;
        });
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
