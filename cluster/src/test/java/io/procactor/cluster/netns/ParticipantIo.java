package io.procactor.cluster.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The participant's side of the {@link Participant} protocol: {@link #refuseRootNamespace()} first,
 * then {@link #report} protocol lines on stdout and {@link #commands} from stdin. Thread-safe:
 * reports are whole lines on a synchronized stream.
 */
public final class ParticipantIo {
    /** Protocol lines start with this; anything else on stdout (logs) is for the log file only. */
    public static final String PREFIX = "@@ ";
    /** The lab JVM's network namespace (the root one), passed to each participant to check against. */
    static final String ROOT_NAMESPACE_PROPERTY = "netns-lab.root";
    /** Exit code of a participant that found itself outside a lab namespace. */
    static final int REFUSED_EXIT = 3;

    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);

    private ParticipantIo() {
    }

    /** This process's network namespace, as {@code net:[inode]}. */
    static String ownNetworkNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/ns/net: " + e, e);
        }
    }

    /**
     * Why a participant in namespace {@code own} must not run, given the lab JVM's {@code root}
     * namespace: empty when it may.
     */
    static java.util.Optional<String> refusal(String root, String own) {
        if (root == null || root.isBlank()) {
            return java.util.Optional.of("-D" + ROOT_NAMESPACE_PROPERTY + " is not set: participants are started by "
                    + "NetnsLab.start only, inside a lab namespace");
        }
        if (root.equals(own)) {
            return java.util.Optional.of("this JVM runs in the root network namespace (" + own + "), which may route off "
                    + "the machine: participants run only inside a lab namespace (ip netns exec)");
        }
        return java.util.Optional.empty();
    }

    /** Exits at once (code {@value #REFUSED_EXIT}) when this JVM is not inside a lab namespace. */
    public static void refuseRootNamespace() {
        refusal(System.getProperty(ROOT_NAMESPACE_PROPERTY), ownNetworkNamespace()).ifPresent(why -> {
            report("REFUSED " + why);
            System.exit(REFUSED_EXIT);
        });
    }

    /** Prints one protocol line. */
    public static void report(String line) {
        OUT.println(PREFIX + line);
    }

    /** Reads command lines from stdin on the calling thread until it closes. */
    public static void commands(Consumer<String> handler) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("quit")) {
                    return;
                }
                handler.accept(line.strip());
            }
        } catch (IOException e) {
            // stdin gone: the lab is gone, so quit
        }
    }
}
