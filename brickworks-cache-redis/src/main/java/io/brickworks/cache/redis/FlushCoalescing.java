package io.brickworks.cache.redis;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import java.util.Map;

/**
 * Coalesces the flushes of commands sent close together into one socket write, on every connection
 * the backend opens (to a server, a cluster node or a Sentinel).
 *
 * <p>Lettuce flushes each command as it is written, so each costs a {@code write} system call. With
 * many commands in flight that is most of the client's CPU, on the cores Redis needs too. Netty's
 * {@link FlushConsolidationHandler} turns the flushes made while a read is being handled (the
 * callbacks of answered commands sending the next ones) into one flush when the read completes, and
 * any other flush into one task on the connection's event loop, which runs after the writes already
 * queued there: commands written together go out together. A lone command waits for no timer, only
 * for that task (microseconds), so latency at one command in flight is unchanged.
 *
 * <p>The handler goes just after the TLS handler when there is one, so that TLS encrypts whole
 * batches, and first in the pipeline otherwise.
 */
final class FlushCoalescing implements NettyCustomizer {

    static final String HANDLER_NAME = "brickworks-flush-coalescing";

    /** At most this many flushes are held back while a read is in progress (Netty's default). */
    static final int MAX_HELD_FLUSHES = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

    @Override
    public void afterChannelInitialized(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(HANDLER_NAME) != null) {
            return;
        }
        // one handler per channel: it keeps per-connection state
        FlushConsolidationHandler handler = new FlushConsolidationHandler(MAX_HELD_FLUSHES, true);
        String tls = null;
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            if (e.getValue() instanceof SslHandler) {
                tls = e.getKey();
            }
        }
        if (tls != null) {
            pipeline.addAfter(tls, HANDLER_NAME, handler);
        } else {
            pipeline.addFirst(HANDLER_NAME, handler);
        }
    }
}
