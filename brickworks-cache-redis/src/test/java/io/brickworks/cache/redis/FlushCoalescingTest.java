package io.brickworks.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the flush-coalescing handler goes, and that it batches the flushes made during a read. */
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
}
