package io.procactor.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.procactor.Task;
import io.procactor.internal.core.FunctionCalls;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import io.procactor.transport.WireReader;
import io.procactor.transport.internal.KryoCodec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Functions on the wire, in one JVM: what a registered class writes comes back and runs; what
 * an unregistered class writes, a forged function naming a JDK method, and a captured value of
 * an unregistered class are refused, each with a message that says which class and what to do.
 */
class LambdaCodecTest {
    /** Functions written here; {@link Unregistered} holds some written elsewhere. */
    static int square(int x) {
        return x * x;
    }

    /** A class nobody registers; its functions must not run elsewhere. */
    static final class Unregistered {
        static Task.Fn<Integer, Integer> negate() {
            return x -> -x;
        }
    }

    /** Not registered either: a value a lambda captures. */
    record Secret(String text) {
    }

    private static KryoCodec codec(Class<?>... allowed) {
        LambdaCodec lambdas = new LambdaCodec();
        Registrations.Builder b = Protocol.registerFunctions(Registrations.builder(), lambdas)
                .register(Protocol.Batch.class, 111, WireCodecs.BATCH);
        int id = Registrations.FIRST_APPLICATION_ID;
        for (Class<?> c : allowed) {
            b.register(c, id++);
        }
        Registrations table = b.build();
        lambdas.bind(() -> table);
        return new KryoCodec(table, 64 * 1024);
    }

    private static Object roundTrip(KryoCodec sender, KryoCodec receiver, Object message) {
        ByteBuf frame = sender.encodeFrame(UnpooledByteBufAllocator.DEFAULT, message);
        try {
            return receiver.decode(frame.skipBytes(6));
        } finally {
            frame.release();
        }
    }

    @Test
    void aMethodReferenceAndACapturingLambdaOfARegisteredClassComeBackAndRun() {
        KryoCodec codec = codec(LambdaCodecTest.class);
        int offset = 100;
        Task.Fn<Integer, Integer> square = LambdaCodecTest::square;
        Task.Fn2<Integer, Integer, Integer> add = (a, b) -> a + b + offset;

        Protocol.Call one = (Protocol.Call) roundTrip(codec, codec, new Protocol.Call(square, List.of(7)));
        Protocol.Call two = (Protocol.Call) roundTrip(codec, codec, new Protocol.Call(add, List.of(1, 2)));

        assertThat(FunctionCalls.invoke(one.fn(), one.args())).isEqualTo(49);
        assertThat(FunctionCalls.invoke(two.fn(), two.args())).isEqualTo(103);
    }

    @Test
    void aPoolChunkOfCallsOfOneFunctionWritesItOnceAndComesBackInOrder() {
        KryoCodec codec = codec(LambdaCodecTest.class);
        Task.Fn<Integer, Integer> square = LambdaCodecTest::square;
        List<Object> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(new Protocol.Call(square, List.of(i)));
        }
        List<Object> mixed = new java.util.ArrayList<>(calls);
        mixed.set(50, new Protocol.Call((Task.Fn<Integer, Integer>) LambdaCodecTest::square, List.of(50))); // another instance

        Protocol.Batch one = (Protocol.Batch) roundTrip(codec, codec, new Protocol.Batch(1, calls));
        Protocol.Batch two = (Protocol.Batch) roundTrip(codec, codec, new Protocol.Batch(2, mixed));

        for (Protocol.Batch b : List.of(one, two)) {
            assertThat(b.items()).hasSize(100);
            for (int i = 0; i < 100; i++) {
                Protocol.Call c = (Protocol.Call) b.items().get(i);
                assertThat(FunctionCalls.invoke(c.fn(), c.args())).isEqualTo(i * i);
            }
        }
        assertThat(frameSize(codec, new Protocol.Batch(1, calls))).as("the function once, then 100 small ints")
                .isLessThan(frameSize(codec, new Protocol.Batch(2, mixed)) / 10);
    }

    private static int frameSize(KryoCodec codec, Object message) {
        ByteBuf frame = codec.encodeFrame(UnpooledByteBufAllocator.DEFAULT, message);
        try {
            return frame.readableBytes();
        } finally {
            frame.release();
        }
    }

    @Test
    void aFunctionOfAnUnregisteredClassFailsAtSendTimeNamingTheClass() {
        KryoCodec codec = codec(LambdaCodecTest.class);

        assertThatThrownBy(() -> roundTrip(codec, codec, new Protocol.Call(Unregistered.negate(), List.of(1))))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("function [a lambda in " + Unregistered.class.getName() + "] cannot be sent")
                .hasMessageContaining("class [" + Unregistered.class.getName() + "], which is not registered")
                .satisfies(e -> assertThat(((SerializationException) e).className()).isEqualTo(Unregistered.class.getName()));
    }

    @Test
    void theReceiverRefusesAFunctionOfAClassItDidNotRegisterAndTheCallSaysWhy() {
        KryoCodec sender = codec(LambdaCodecTest.class, Unregistered.class);
        KryoCodec receiver = codec(LambdaCodecTest.class);

        Protocol.Call call = (Protocol.Call) roundTrip(sender, receiver, new Protocol.Call(Unregistered.negate(), List.of(1)));

        assertThat(call.fn()).isInstanceOf(RefusedFunction.class);
        assertThatThrownBy(() -> FunctionCalls.invoke(call.fn(), call.args()))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining("refused: it is written in class [" + Unregistered.class.getName() + "], which is not registered");
    }

    @Test
    void aForgedFunctionNamingRuntimeExecIsRefusedWithoutLoadingOrCallingAnything() {
        LambdaCodec receiver = new LambdaCodec();
        Registrations table = Protocol.registerFunctions(Registrations.builder(), receiver)
                .register(LambdaCodecTest.class, 1000).build();
        receiver.bind(() -> table);

        Object jdk = receiver.read(forged("java/lang/Runtime"));
        // a registered class does not vouch for a method it has no serializable lambda of
        Object viaRegistered = receiver.read(forged(LambdaCodecTest.class.getName().replace('.', '/')));

        assertThat(jdk).isInstanceOf(RefusedFunction.class);
        assertThat(((RefusedFunction) jdk).message()).contains("function [java.lang.Runtime::exec] refused")
                .contains("written in class [java.lang.Runtime], which is not registered");
        assertThat(viaRegistered).isInstanceOf(RefusedFunction.class);
        assertThat(((RefusedFunction) viaRegistered).message()).contains("function [java.lang.Runtime::exec] refused")
                .contains("contains no such serializable function");
        assertThatThrownBy(() -> ((Task.Fn) jdk).apply("touch /tmp/pwned")).isInstanceOf(SecurityException.class);
    }

    @Test
    void aCapturedValueObeysRegistrationLikeAnyMessage() {
        KryoCodec codec = codec(LambdaCodecTest.class);
        Secret secret = new Secret("s");
        Task.Fn0<String> leak = () -> secret.text();

        assertThatThrownBy(() -> roundTrip(codec, codec, new Protocol.Call(leak, List.of())))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("class [" + Secret.class.getName() + "] is not registered for serialization");
    }

    @Test
    void aLambdaThatIsNotSerializableIsToldSo() {
        KryoCodec codec = codec(LambdaCodecTest.class);
        Runnable plain = () -> { };

        assertThatThrownBy(() -> roundTrip(codec, codec, new Protocol.Call(plain, List.of())))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("is not serializable");
    }

    /** What a hostile peer could write: a "function" whose implementation is Runtime.exec(String). */
    private static WireReader forged(String capturingClass) {
        Deque<Object> values = new ArrayDeque<>(List.of(capturingClass, "io/procactor/Task$Fn", "apply",
                "(Ljava/lang/Object;)Ljava/lang/Object;", 5 /* invokeVirtual */, "java/lang/Runtime", "exec",
                "(Ljava/lang/String;)Ljava/lang/Process;", "(Ljava/lang/String;)Ljava/lang/Process;", 1));
        values.add(Runtime.getRuntime());
        return new WireReader() {
            @Override public String readString() { return (String) values.pop(); }
            @Override public long readLong() { return (Long) values.pop(); }
            @Override public int readInt() { return (Integer) values.pop(); }
            @Override public boolean readBoolean() { return (Boolean) values.pop(); }
            @Override public Object readObject() { return values.pop(); }
        };
    }
}
