package io.brickworks.cache.redis;

import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Coalesces the flushes of commands sent close together into one socket write, on every connection
 * the backend opens (to a server, a cluster node or a Sentinel).
 *
 * <p>Lettuce flushes each command as it is written, so each costs a {@code write} system call. With
 * many commands in flight that is most of the client's CPU, on the cores Redis needs too. Netty's
 * {@link FlushConsolidationHandler} turns the flushes made while a read is being handled (the
 * callbacks of answered commands sending the next ones) into one flush when the read completes, and
 * any other flush into one task on the connection's event loop, which runs after the writes already
 * queued there: commands written together go out together.
 *
 * <p>A lone command is not held at all: when no read is in progress, no other task waits in the
 * event loop's queue and no other command of the connection awaits its reply, there is nothing to
 * coalesce it with, so it is flushed at once. Netty's handler would still defer it by one more task
 * of the event loop, which cost 1 to 3% of a round trip at one command in flight (measured
 * interleaved in one JVM, see docs/benchmarks.md). With other commands awaiting replies, the flush is deferred
 * as Netty does: that keeps the gains at 16 and 128 in flight, where a producer thread keeps adding
 * commands and the deferred flush catches the ones that arrive meanwhile.
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
        FlushConsolidationHandler handler = new Handler(Handler::awaitingReplies);
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

    /**
     * Netty's handler, consolidating also when no read is in progress, except for a flush that has
     * nothing to be coalesced with: no read in progress, no other task queued on the event loop and
     * no other command awaiting its reply. Used on the connection's event loop only.
     */
    static final class Handler extends FlushConsolidationHandler {
        /** How many commands of the connection await their replies (the one being flushed included), or -1 if unknown. */
        private final ToIntFunction<ChannelHandlerContext> awaitingReplies;
        /** Whether a read is being handled (between channelRead and channelReadComplete). */
        private boolean reading;

        Handler(ToIntFunction<ChannelHandlerContext> awaitingReplies) {
            super(MAX_HELD_FLUSHES, true);
            this.awaitingReplies = awaitingReplies;
        }

        /** The commands Lettuce's command handler has written and not yet seen answered, or -1 without one. */
        static int awaitingReplies(ChannelHandlerContext ctx) {
            CommandHandler commands = ctx.pipeline().get(CommandHandler.class);
            return commands == null ? -1 : commands.getStack().size();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            reading = true;
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            reading = false;
            super.channelReadComplete(ctx);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) throws Exception {
            if (!reading && nothingQueued(ctx.executor()) && isAlone(ctx)) {
                ctx.flush();
            } else {
                super.flush(ctx);
            }
        }

        private boolean isAlone(ChannelHandlerContext ctx) {
            int awaiting = awaitingReplies.applyAsInt(ctx);
            return awaiting >= 0 && awaiting <= 1;
        }

        /**
         * Whether the event loop has no other task waiting, so that no write can join this flush (a
         * flush the handler deferred earlier is itself such a task).
         */
        private static boolean nothingQueued(EventExecutor executor) {
            return executor instanceof SingleThreadEventExecutor loop && loop.inEventLoop() && loop.pendingTasks() == 0;
        }
    }
}
