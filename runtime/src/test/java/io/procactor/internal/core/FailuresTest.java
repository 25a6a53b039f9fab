package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.ActorTerminatedException;
import io.procactor.ExitStatus;
import io.procactor.MailboxOverflowException;
import io.procactor.MessageSerializationException;
import io.procactor.RemoteActorException;
import io.procactor.transport.SerializationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The texts are today's, word for word: tests and users match on them. */
class FailuresTest {
    private static final String PATH = "procactor://demo/worker-1/counter";
    private static final ExitStatus CRASHED = new ExitStatus(70, 0, ExitStatus.Reason.CRASHED, "actor failed: boom", List.of("x"));

    @Test
    void typeNameIsTheClassNameOrNull() {
        assertThat(Failures.typeName("hi")).isEqualTo("java.lang.String");
        assertThat(Failures.typeName(List.of())).startsWith("java.util.ImmutableCollections$List");
        assertThat(Failures.typeName(null)).isEqualTo("null");
    }

    @Test
    void remoteCarriesWhatTheActorThrew() {
        RemoteActorException e = Failures.remote("java.lang.IllegalStateException", "bad state", "trace", PATH);

        assertThat(e.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
        assertThat(e.remoteMessage()).isEqualTo("bad state");
        assertThat(e.remoteStackTrace()).isEqualTo("trace");
        assertThat(e.actorPath()).isEqualTo(PATH);
    }

    @Test
    void askFailedIsTheOneTemplate() {
        assertThat(Failures.askFailed(PATH, "com.acme.Get", "why"))
                .isEqualTo("Ask to [procactor://demo/worker-1/counter] failed (message type [com.acme.Get]): why");
    }

    @Test
    void processExitedNamesTheProcessAndCarriesTheStatus() {
        ActorTerminatedException e = Failures.processExited(PATH, "worker-1", "com.acme.Get", CRASHED);

        assertThat(e).hasMessage("Ask to [procactor://demo/worker-1/counter] failed (message type [com.acme.Get]): "
                + "its process [worker-1] exited: crashed (exit code 70): actor failed: boom");
        assertThat(e.exitStatus()).contains(CRASHED);
    }

    @Test
    void askEndedHasNoExitStatus() {
        ActorTerminatedException e = Failures.askEnded(PATH, "com.acme.Get", "actor system closed");

        assertThat(e).hasMessage("Ask to [procactor://demo/worker-1/counter] failed (message type [com.acme.Get]): actor system closed");
        assertThat(e.exitStatus()).isEmpty();
    }

    @Test
    void mailboxFullNamesTheCapacityAndTheSetting() {
        MailboxOverflowException e = Failures.mailboxFull(PATH, "com.acme.Get", 1000);

        assertThat(e).hasMessage("Ask to [procactor://demo/worker-1/counter] failed (message type [com.acme.Get]): "
                + "its mailbox was full (1000 messages; procactor.mailbox.overflow)");
    }

    @Test
    void notSentNamesTypeTargetAndCause() {
        ActorTerminatedException e = Failures.notSent("com.acme.Get", PATH, "process [worker-1] is gone");

        assertThat(e).hasMessage("Message of type [com.acme.Get] to [procactor://demo/worker-1/counter] was not sent: "
                + "process [worker-1] is gone");
        assertThat(e.exitStatus()).isEmpty();
    }

    @Test
    void serializationNamesTheRegistrationThatFixesAMissingClass() {
        SerializationException cause = new SerializationException("class [com.acme.Order$Line] is not registered for serialization",
                "com.acme.Order$Line", null);

        MessageSerializationException e = Failures.serialization(cause);

        assertThat(e).hasMessage("class [com.acme.Order$Line] is not registered for serialization. Register it with "
                + "ActorSystem.builder(name).register(Line.class), or in config: procactor.serialization.classes = "
                + "[\"com.acme.Order$Line\"]; the node gives it an id and tells every process (for a wire format fixed "
                + "across releases, give an id of 1000 or more yourself: register(Line.class, ID))");
        assertThat(e).hasCause(cause);
    }

    @Test
    void aLambdaIsToldItCannotBeSentNotHowToRegisterIt() {
        SerializationException cause = new SerializationException("class [com.acme.Job$$Lambda/0x0000700001] is not registered",
                "com.acme.Job$$Lambda/0x0000700001", null);

        assertThat(Failures.serialization(cause).getMessage()).contains("It is a lambda: lambdas cannot be sent")
                .contains("send a record or a class of your own").doesNotContain("register(");
    }

    @Test
    void serializationAddsNoHintForTooLargeOrUnnamedMessages() {
        SerializationException tooLarge = new SerializationException("message of type [x] needs more than max-frame-size [65536 bytes]",
                "x", null);
        SerializationException unnamed = new SerializationException("cannot decode", null, null);

        assertThat(Failures.serialization(tooLarge)).hasMessage(tooLarge.getMessage());
        assertThat(Failures.serialization(unnamed)).hasMessage("cannot decode");
    }
}
