package io.procactor.cluster.netns;

/**
 * One "host" of a {@link NetnsLab}: a network namespace with {@code lo} up and one veth interface
 * ({@link NetnsLab#HOST_INTERFACE}) holding {@code address}, whose peer {@code bridgePort} is a
 * port of the lab's bridge (inside the bridge's own namespace). Immutable.
 *
 * @param name       the host's short name in the test ("a", "b"...)
 * @param namespace  the network namespace, {@code pa-<pid>-...}
 * @param address    its IPv4 address on the lab's private subnet (inside the namespaces only)
 * @param bridgePort the veth peer's name in the bridge namespace: the "cable" to pull
 */
public record NetnsHost(String name, String namespace, String address, String bridgePort) {
    @Override
    public String toString() {
        return name + "(" + namespace + ", " + address + ")";
    }
}
