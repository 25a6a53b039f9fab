package io.procactor.internal.node;

import io.procactor.transport.Credentials;
import io.procactor.transport.Hello;
import io.procactor.transport.PeerCredentials;

/**
 * Who may connect as a child: only the JVM the node launched for it. That JVM alone read its
 * one-time secret on stdin (a secret per launch, never on a command line, so neither another user
 * nor another child knows it); it must prove that secret, claim the pid the node launched, and,
 * where the kernel tells who connected (Unix domain sockets: {@code SO_PEERCRED}), be that process
 * (epoll reports the pid) of this user. A claimed pid alone proves nothing: every user can read a
 * child's pid in the process table.
 *
 * <p>Stateless; thread-safe.
 */
final class ChildAdmission {
    private ChildAdmission() {
    }

    /** Why {@code hello} is not process {@code process}'s launched JVM, or null when it is. */
    static String refusal(String process, Credentials secret, long launchedPid, Hello hello) {
        if (!hello.proves(secret)) {
            return "wrong secret for process [" + process + "]";
        }
        if (hello.peer().pid() != launchedPid) {
            return "claims pid [" + hello.peer().pid() + "], but process [" + process + "] was launched as [" + launchedPid + "]";
        }
        PeerCredentials kernel = hello.peer().kernel();
        if (kernel.pid().isPresent() && kernel.pid().getAsLong() != launchedPid) {
            return "the kernel says pid [" + kernel.pid().getAsLong() + "] connected, not process [" + process
                    + "]'s [" + launchedPid + "]";
        }
        if (kernel != PeerCredentials.NONE && !kernel.sameUser()) {
            return "the kernel says another user connected as process [" + process + "]";
        }
        return null;
    }
}
