package io.brickworks.cache.queue.internal;

import io.brickworks.cache.internal.Names;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.spi.QueueClaim;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A delivery: the item's identity, the attempt number, and the receipt of this claim (a random
 * token, the only thing the store accepts to acknowledge, return or extend it; never shown).
 */
final class DefaultDelivery implements Delivery {

    private final DefaultReliableQueue queue;
    private final String id;
    private final String item;
    private final long attempt;
    private final String receipt;

    DefaultDelivery(DefaultReliableQueue queue, QueueClaim claim, String receipt) {
        this.queue = queue;
        this.id = claim.id();
        this.item = new String(claim.item(), StandardCharsets.UTF_8);
        this.attempt = claim.attempt();
        this.receipt = receipt;
    }

    String receipt() {
        return receipt;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String item() {
        return item;
    }

    @Override
    public long attempt() {
        return attempt;
    }

    @Override
    public CompletableFuture<Boolean> ack() {
        return queue.ack(this);
    }

    @Override
    public CompletableFuture<Boolean> retry(Duration delay, String reason) {
        Names.checkNotNegative("delay", delay);
        Names.checkNotNull("reason", reason);
        return queue.retry(this, delay, reason, false, false);
    }

    @Override
    public CompletableFuture<Boolean> deadLetter(String reason) {
        Names.checkNotNull("reason", reason);
        return queue.retry(this, Duration.ZERO, reason, false, true);
    }

    /** Gives the item back at once without counting this delivery (a worker shutting down). */
    CompletableFuture<Boolean> giveBack(String reason) {
        return queue.retry(this, Duration.ZERO, reason, true, false);
    }

    @Override
    public CompletableFuture<Boolean> extend(Duration visibility) {
        Names.checkExpire("visibility", visibility);
        return queue.extend(this, visibility, null);
    }

    @Override
    public CompletableFuture<Boolean> heartbeat(String progress) {
        Names.checkNotNull("progress", progress);
        if (progress.length() > DefaultReliableQueue.MAX_PROGRESS) {
            throw new IllegalArgumentException("progress must have at most " + DefaultReliableQueue.MAX_PROGRESS
                    + " characters but had " + progress.length());
        }
        return queue.extend(this, queue.options().visibilityTimeout(), progress);
    }

    @Override
    public String toString() {
        return "Delivery{id=" + id + ", attempt=" + attempt + ", queue=" + Names.show(queue.name()) + "}";
    }
}
