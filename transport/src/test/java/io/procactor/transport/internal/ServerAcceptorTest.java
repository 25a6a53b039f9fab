package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalChannel;
import io.procactor.transport.TestTimeouts;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a listening channel does with what it accepts, in place of Netty's {@code ServerBootstrap}:
 * the connection gets its pipeline and options and an event loop; one that cannot be registered
 * is closed; a failing accept pauses accepting for a second, then accepting resumes.
 */
@Tag("fast")
class ServerAcceptorTest {
    /** An upper bound only: a test waits this long just when the acceptor is broken. */
    private static final Duration WAIT = TestTimeouts.seconds(30);

    @Test
    void anAcceptedConnectionIsSetUpOnItsEventLoopWithoutAutoClose() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            CompletableFuture<Channel> setUp = new CompletableFuture<>();
            EmbeddedChannel server = new EmbeddedChannel(new ServerAcceptor(group, new ChannelSetup(setUp::complete), false));
            LocalChannel child = new LocalChannel();

            server.writeInbound(child);

            assertThat(setUp.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(child);
            assertThat(child.isRegistered()).isTrue();
            assertThat(child.eventLoop().parent()).isSameAs(group);
            assertThat(child.config().isAutoClose()).isFalse();
            await().atMost(WAIT).until(() -> child.pipeline().get(ChannelSetup.class) == null); // it leaves once it ran
            child.close().syncUninterruptibly();
            server.finishAndReleaseAll();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aConnectionThatCannotBeRegisteredIsClosed() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            EmbeddedChannel server = new EmbeddedChannel(new ServerAcceptor(group, new ChannelSetup(ch -> { }), false));
            EmbeddedChannel child = new EmbeddedChannel(false, false); // registers with its own loop only

            server.writeInbound(child);

            // closed forcibly, as a bootstrap does: never registered, it has no close future to complete
            await().atMost(WAIT).until(() -> !child.isOpen());
            server.finishAndReleaseAll();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aFailingAcceptPausesAcceptingForASecond() {
        EmbeddedChannel server = new EmbeddedChannel(new ServerAcceptor(new DefaultEventLoopGroup(1), new ChannelSetup(ch -> { }), false));
        server.freezeTime(); // the pause is measured in the channel's time only

        server.pipeline().fireExceptionCaught(new IOException("Too many open files"));
        assertThat(server.config().isAutoRead()).isFalse();
        server.pipeline().fireExceptionCaught(new IOException("Too many open files")); // while paused: no second timer
        server.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertThat(server.config().isAutoRead()).isFalse();

        server.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertThat(server.config().isAutoRead()).isTrue();
        server.checkException(); // the failure stopped here: nothing reached the end of the pipeline
        server.finishAndReleaseAll();
    }
}
