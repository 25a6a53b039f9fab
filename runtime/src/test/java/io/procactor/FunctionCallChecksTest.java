package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code system.process(fn, args...)} refuses at the call, before any JVM starts: a value the
 * function captured, or an argument, that no child could receive. Runs in this JVM alone: the
 * checks come before a process is created.
 */
class FunctionCallChecksTest {
    private ActorSystem system;

    /** Not registered: the system registers only the test class itself. */
    record Parcel(int k) {
    }

    static int plusOne(int x) {
        return x + 1;
    }

    @BeforeEach
    void start() {
        system = ActorSystem.builder("fn-checks").register(FunctionCallChecksTest.class)
                .config(ConfigFactory.parseString("procactor.admin.enabled = off")).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void aCapturedValueOfAnUnregisteredClassFailsAtTheCallNamingTheClassToRegister() {
        Parcel parcel = new Parcel(3);

        assertThatThrownBy(() -> system.process((Task.Fn<Integer, Integer>) x -> x + parcel.k(), 1))
                .isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining("class [" + Parcel.class.getName() + "] is not registered")
                .hasMessageContaining("register(Parcel.class)");
        assertThat(system.processes()).isEmpty();
    }

    @Test
    void anArgumentOfAnUnregisteredClassFailsAtTheCall() {
        assertThatThrownBy(() -> system.process((Task.Fn<Parcel, Integer>) Parcel::k, new Parcel(1)))
                .isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining("register(Parcel.class)");
        assertThat(system.processes()).isEmpty();
    }

    @Test
    void registeredArgumentsSharedHandlesAndNullPass() {
        SharedInt v = system.sharedInt("v", 0);

        assertThat(system.process((Task.Fn<SharedInt, Integer>) SharedInt::get, v).name()).startsWith("get-");
        assertThat(system.process(FunctionCallChecksTest::plusOne, (Integer) null).name()).startsWith("plusOne-");
        assertThat(system.process((Task.Fn2<String, List<Integer>, Integer>) (s, l) -> l.size(), "x", List.of(1)).name())
                .startsWith("fn-");
    }
}
