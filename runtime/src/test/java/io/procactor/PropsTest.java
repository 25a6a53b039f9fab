package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.TestActors;
import org.junit.jupiter.api.Test;

/** Props are validated in the caller's JVM, before any process starts, with messages that say what to change. */
class PropsTest {

    /** Not public: another process could not create it. */
    static final class Hidden extends Actor {
        @Override
        protected void onReceive(Object message) {
        }
    }

    /** Public but inner (not static): needs an enclosing instance. */
    public final class Inner extends Actor {
        @Override
        protected void onReceive(Object message) {
        }
    }

    public abstract static class Abstract extends Actor {
    }

    public static final class Overloaded extends Actor {
        public Overloaded(int count, String label) {
        }

        public Overloaded(long big) {
        }

        @Override
        protected void onReceive(Object message) {
        }
    }

    public static final class Ambiguous extends Actor {
        public Ambiguous(String s) {
        }

        public Ambiguous(Integer i) {
        }

        public Ambiguous(Object o) {
        }

        @Override
        protected void onReceive(Object message) {
        }
    }

    public static final class Primitives extends Actor {
        public Primitives(int i, long l, double d, boolean b, char c) {
        }

        @Override
        protected void onReceive(Object message) {
        }
    }

    @Test
    void acceptsAPublicStaticActorWithMatchingArguments() {
        Props p = Props.create(Overloaded.class, 3, "three");

        assertThat(p.actorClass()).isEqualTo(Overloaded.class);
        assertThat(p.args()).containsExactly(3, "three");
        assertThat(p.constructor().getParameterTypes()).containsExactly(int.class, String.class);
        assertThat(Props.create(TestActors.Doubler.class).constructor().getParameterCount()).isZero();
    }

    @Test
    void argsAreAnImmutableCopy() {
        Object[] args = {3, "three"};
        Props p = Props.create(Overloaded.class, args);
        args[1] = "changed";

        assertThat(p.args()).containsExactly(3, "three");
        assertThatThrownBy(() -> p.args().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsANonPublicClass() {
        assertThatThrownBy(() -> Props.create(Hidden.class))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining(Hidden.class.getName())
                .hasMessageContaining("not public");
    }

    @Test
    void rejectsAnInnerClass() {
        assertThatThrownBy(() -> Props.create(Inner.class, this))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining(Inner.class.getName())
                .hasMessageContaining("inner class")
                .hasMessageContaining("static");
    }

    @Test
    void rejectsAnAbstractClass() {
        assertThatThrownBy(() -> Props.create(Abstract.class))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining(Abstract.class.getName())
                .hasMessageContaining("abstract");
    }

    @Test
    void noMatchingConstructorListsTheConstructorsAndTheGivenTypes() {
        assertThatThrownBy(() -> Props.create(Overloaded.class, "three", 3))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining(Overloaded.class.getName())
                .hasMessageContaining("(String, Integer)")
                .hasMessageContaining("Overloaded(int, String)")
                .hasMessageContaining("Overloaded(long)");
    }

    @Test
    void noArgumentsForAClassWithoutANoArgConstructor() {
        assertThatThrownBy(() -> Props.create(Overloaded.class))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining("()")
                .hasMessageContaining("Overloaded(long)");
    }

    @Test
    void ambiguousConstructorsAreRejectedNamingTheCandidates() {
        assertThatThrownBy(() -> Props.create(Ambiguous.class, "s"))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining("several public constructors")
                .hasMessageContaining("Ambiguous(String)")
                .hasMessageContaining("Ambiguous(Object)")
                .hasMessageNotContaining("Ambiguous(Integer)");
        assertThatThrownBy(() -> Props.create(Ambiguous.class, (Object) null))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining("(null)")
                .hasMessageContaining("Ambiguous(Integer)");
        // an argument that only one constructor takes is fine
        assertThat(Props.create(Ambiguous.class, 1.5).constructor().getParameterTypes()).containsExactly(Object.class);
    }

    @Test
    void primitiveParametersAcceptBoxedArguments() {
        Props p = Props.create(Primitives.class, 1, 2L, 3.0, true, 'c');

        assertThat(p.constructor().getParameterTypes())
                .containsExactly(int.class, long.class, double.class, boolean.class, char.class);
    }

    @Test
    void primitiveParametersDoNotWidenOtherBoxes() {
        // an Integer is not a long: Props matches like reflection would, without widening
        assertThatThrownBy(() -> Props.create(Overloaded.class, 5))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining("(Integer)");
    }

    @Test
    void nullIsRejectedForAPrimitiveParameter() {
        assertThatThrownBy(() -> Props.create(Primitives.class, null, 2L, 3.0, true, 'c'))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining("(null, Long, Double, Boolean, Character)")
                .hasMessageContaining("Primitives(int, long, double, boolean, char)");
        assertThatThrownBy(() -> Props.create(Overloaded.class, null, "label"))
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining("no public constructor");
    }

    @Test
    void nullIsAcceptedForAnObjectParameter() {
        Props p = Props.create(Overloaded.class, 1, null);

        assertThat(p.args()).containsExactly(1, null);
    }

    @Test
    void creatingAnActorWithNewThrowsAndPointsToProps() {
        assertThatThrownBy(TestActors.Doubler::new)
                .isInstanceOf(ActorCreationException.class)
                .hasMessageContaining("new")
                .hasMessageContaining("Props.create(Doubler.class");
    }

    @Test
    void anActorCreatedWithNewIsRefusedNamingTheFix() {
        Props.create(TestActors.Doubler.class); // the runtime's access to Props is installed: still refused
        assertThatThrownBy(TestActors.Doubler::new).isInstanceOf(ActorCreationException.class)
                .hasMessage("Actor [" + TestActors.Doubler.class.getName() + "] was created with 'new'; actors are created by "
                        + "the runtime: use Props.create(Doubler.class, args...) with ActorSystem.spawnProcess or actorOf");
    }
}
