package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Where the flush-coalescing handler goes, that it batches the flushes made during a read or queued
 * together, and that it sends a lone command at once (on a real event loop: Netty's in-process
 * {@code LocalChannel}).
 */
class FlushCoalescingTest {

    /** Stands in for Lettuce's command handler: counts the flushes that reach the socket side. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    @Test
    void goesFirstWithoutTls() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
        new FlushCoalescing().afterChannelInitialized(channel);
        new FlushCoalescing().afterChannelInitialized(channel);
        assertThat(channel.pipeline().names().get(0)).isEqualTo(FlushCoalescing.HANDLER_NAME);
        assertThat(channel.pipeline().names().stream().filter(FlushCoalescing.HANDLER_NAME::equals)).hasSize(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void goesRightAfterTlsSoThatTlsEncryptsWholeBatches() throws Exception {
        SslHandler tls = SslContextBuilder.forClient().build().newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("tls", tls);
        channel.pipeline().addLast("commands", new ChannelOutboundHandlerAdapter());
        new FlushCoalescing().afterChannelInitialized(channel);
        List<String> names = channel.pipeline().names();
        assertThat(names.indexOf(FlushCoalescing.HANDLER_NAME)).isEqualTo(names.indexOf("tls") + 1);
        assertThat(channel.pipeline().get(FlushCoalescing.HANDLER_NAME)).isInstanceOf(FlushConsolidationHandler.class);
        channel.close();
    }

    @Test
    void flushesMadeWhileReadingGoOutOnceWhenTheReadCompletes() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
        new FlushCoalescing().afterChannelInitialized(channel);
        // the counter goes below the coalescing handler, nearest the socket
        FlushCounter socketSide = new FlushCounter();
        channel.pipeline().addFirst(socketSide);
        int before = socketSide.flushes;

        // answers arrive; each answered command's callback writes and flushes the next one
        channel.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
        for (int i = 0; i < 10; i++) {
            channel.writeAndFlush(Unpooled.copiedBuffer("GET k" + i + "\r\n", StandardCharsets.US_ASCII));
        }
        assertThat(socketSide.flushes - before).as("no flush while the read is in progress").isZero();
        channel.pipeline().fireChannelReadComplete();
        assertThat(socketSide.flushes - before).as("one flush for the ten commands").isEqualTo(1);

        int written = 0;
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            written++;
            out.release();
        }
        assertThat(written).isEqualTo(10);
        channel.finishAndReleaseAll();
    }

    // ------------------------------------------------------------------ on a real event loop

    /** A client channel on one event-loop thread, connected to a server that discards everything. */
    private static final class LocalPair implements AutoCloseable {
        final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        final FlushCounter socketSide = new FlushCounter();
        final AtomicInteger awaiting = new AtomicInteger(1);
        final Channel server;
        final Channel client;

        LocalPair() throws InterruptedException {
            LocalAddress address = new LocalAddress("flush-" + UUID.randomUUID());
            server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                        }
                    }).bind(address).sync().channel();
            client = new Bootstrap().group(group).channel(LocalChannel.class).handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(socketSide, new FlushCoalescing.Handler(ctx -> awaiting.get()));
                }
            }).connect(address).sync().channel();
        }

        EventLoop loop() {
            return client.eventLoop();
        }

        @Override
        public void close() throws InterruptedException {
            client.close().sync();
            server.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static ByteBuf command(int i) {
        return Unpooled.copiedBuffer("GET k" + i + "\r\n", StandardCharsets.US_ASCII);
    }

    @Test
    void aLoneCommandIsFlushedAtOnceInsteadOfOneTaskLater() throws Exception {
        try (LocalPair pair = new LocalPair()) {
            int flushesInTheSameTask = pair.loop().submit(() -> {
                int before = pair.socketSide.flushes;
                pair.client.writeAndFlush(command(1));
                return pair.socketSide.flushes - before;
            }).get(10, TimeUnit.SECONDS);
            assertThat(flushesInTheSameTask).as("flushed within the writing task").isEqualTo(1);
        }
    }

    @Test
    void aCommandIsDeferredWhileOthersAwaitTheirReplies() throws Exception {
        try (LocalPair pair = new LocalPair()) {
            pair.awaiting.set(5);
            int before = pair.loop().submit(() -> pair.socketSide.flushes).get(10, TimeUnit.SECONDS);
            int flushesInTheSameTask = pair.loop().submit(() -> {
                pair.client.writeAndFlush(command(1));
                return pair.socketSide.flushes - before;
            }).get(10, TimeUnit.SECONDS);
            assertThat(flushesInTheSameTask).as("held for the next task").isZero();
            int afterwards = pair.loop().submit(() -> pair.socketSide.flushes - before).get(10, TimeUnit.SECONDS);
            assertThat(afterwards).as("flushed one task later").isEqualTo(1);
        }
    }

    @Test
    void commandsQueuedTogetherOnTheEventLoopGoOutInOneFlush() throws Exception {
        try (LocalPair pair = new LocalPair()) {
            int before = pair.loop().submit(() -> pair.socketSide.flushes).get(10, TimeUnit.SECONDS);
            // ten writes queued as ten tasks while the loop is busy, as an application thread sends them
            CountDownLatch busy = new CountDownLatch(1);
            pair.loop().execute(() -> awaitQuietly(busy));
            for (int i = 0; i < 10; i++) {
                pair.client.writeAndFlush(command(i));
            }
            busy.countDown();
            // read the count in a task queued after the writes have run, and so after the flush they deferred
            int flushes = pair.loop().submit(() -> pair.loop().submit(() -> pair.socketSide.flushes - before))
                    .get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
            assertThat(flushes).as("one flush for the ten commands").isEqualTo(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
