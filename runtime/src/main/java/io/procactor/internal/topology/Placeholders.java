package io.procactor.internal.topology;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Stand-ins used while a topology is checked, before anything exists. */
final class Placeholders {
    private Placeholders() {
    }

    /**
     * Stands in for the ref of a process or pool: {@code Props} validation only needs an argument
     * of the right type. Named ActorRef so that Props' messages about constructor arguments read
     * "(ActorRef, ...)". Sending to it is a bug. Immutable and thread-safe.
     */
    static final class ActorRef implements io.procactor.ActorRef {
        private final String name;

        ActorRef(String name) {
            this.name = name;
        }

        @Override
        public String path() {
            return "procactor://topology-check/" + name + "/" + name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String processName() {
            return name;
        }

        @Override
        public void tell(Object message) {
            throw new UnsupportedOperationException("placeholder for ref:" + name + " while the topology is checked");
        }

        @Override
        public void tell(Object message, io.procactor.ActorRef sender) {
            tell(message);
        }

        @Override
        public <T> CompletableFuture<T> ask(Object message, Duration timeout) {
            throw new UnsupportedOperationException("placeholder for ref:" + name + " while the topology is checked");
        }

        @Override
        public String toString() {
            return "ref:" + name;
        }
    }
}
