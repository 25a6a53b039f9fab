package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Netty reads, by reflection, {@code @Skip} on every event method of a handler's class and
 * {@code @Sharable} on the class; the first annotation a JVM reads makes it generate proxy classes
 * (10-15 ms of a cold child's start). Every stage our pipelines add must give Netty nothing to
 * read: no annotation on an inbound event method as Netty finds it ({@code getMethod}), none on the
 * class or a superclass. {@code ChildClassPathLaunchTest} checks the outcome in a real child: it
 * generates no proxy class.
 */
@Tag("fast")
class InboundHandlersTest {
    private static final List<Class<?>> STAGES = List.of(FrameDecoder.class, MessageHandler.class,
            ClientHandshakeHandler.class, ServerHandshakeHandler.class, TlsHandshakeWatcher.class, ChannelSetup.class,
            ServerAcceptor.class);

    @Test
    void noStageOfOurPipelinesCarriesAnAnnotationNettyReads() throws Exception {
        List<String> found = new ArrayList<>();
        for (Class<?> stage : STAGES) {
            assertThat(ChannelInboundHandler.class).isAssignableFrom(stage);
            for (Class<?> c = stage; c != Object.class; c = c.getSuperclass()) {
                if (c.getDeclaredAnnotations().length > 0) {
                    found.add(stage.getSimpleName() + ": class " + c.getName());
                }
            }
            for (Method m : ChannelInboundHandler.class.getMethods()) {
                if (m.getParameterCount() > 0 && m.getParameterTypes()[0] == ChannelHandlerContext.class) {
                    Method resolved = stage.getMethod(m.getName(), m.getParameterTypes());
                    if (resolved.getDeclaredAnnotations().length > 0) {
                        found.add(stage.getSimpleName() + ": " + resolved);
                    }
                }
            }
        }
        assertThat(found).as("annotations Netty would read (extend InboundHandler, or override the method)").isEmpty();
    }
}
