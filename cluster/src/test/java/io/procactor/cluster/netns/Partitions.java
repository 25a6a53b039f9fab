package io.procactor.cluster.netns;

import java.util.List;

/**
 * Selective packet drops by address inside one host namespace of a {@link NetnsLab}: the rule
 * "drop every IPv4 packet to or from these addresses" on the host's interface, in both directions,
 * and its removal. Three ways of writing the same rule, the first that works on this machine:
 * <ol>
 * <li><b>nftables</b> when {@code nft} is installed: a table {@code inet netns_lab} with an input and
 *     an output chain, {@code ip saddr X drop} / {@code ip daddr X drop}.</li>
 * <li><b>tc</b> otherwise (iproute2 has it wherever {@code ip netns} works): a {@code clsact} qdisc
 *     on the host's interface with u32 filters {@code match ip src X} on ingress and
 *     {@code match ip dst X} on egress, {@code action drop}.</li>
 * <li>The same tc filters with {@code action mirred egress redirect dev <a down ifb device>} where the
 *     kernel lacks {@code act_gact} (the drop action) but has {@code act_mirred}: mirred drops a
 *     packet redirected to a device that is down, so the effect is the same drop.</li>
 * </ol>
 * The rules live inside the host's namespace, so deleting the namespace deletes them.
 *
 * <p>Thread-safe: each call runs its own commands; the method is a machine-wide answer learned once.
 */
final class Partitions {
    /** The interface a dropped packet is redirected to by the mirred fallback: an ifb kept down. */
    static final String VOID_INTERFACE = "pavoid";
    private static final String TABLE = "netns_lab";

    /** How the rules are written. */
    enum Method {
        NFT("nftables drop rules (nft)"),
        TC_DROP("tc clsact u32 filters, action drop"),
        TC_MIRRED_TO_DOWN_DEVICE("tc clsact u32 filters, action mirred to a down ifb device (no nft, kernel without act_gact)");

        private final String description;

        Method(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    /** What this machine supports, learned once (the tc variant on the first filter). */
    private static volatile Method detected;

    private Partitions() {
    }

    /** The method this machine supports; the tc variant is settled by the first {@link #drop}. */
    static Partitions detect() {
        Method m = detected;
        if (m == null) {
            m = Ip.tryRun(List.of("nft", "--version")).code() == 0 ? Method.NFT : Method.TC_DROP;
            detected = m;
        }
        return new Partitions();
    }

    Method method() {
        return detected;
    }

    /**
     * Drops every IPv4 packet between the host in {@code namespace} (interface {@code iface}) and
     * each of {@code peers}, both directions, until {@link #heal}. Adds to rules already there.
     */
    void drop(String namespace, String iface, List<String> peers) {
        if (method() == Method.NFT) {
            nftDrop(namespace, peers);
            return;
        }
        Ip.Result qdisc = Ip.tryRun(List.of("tc", "-n", namespace, "qdisc", "add", "dev", iface, "clsact"));
        if (qdisc.code() != 0 && !qdisc.output().contains("File exists") && !qdisc.output().contains("Exclusivity flag")) {
            throw new IllegalStateException("`tc qdisc add dev " + iface + " clsact` in " + namespace + " failed: "
                    + qdisc.output().strip());
        }
        for (String peer : peers) {
            tcFilter(namespace, iface, "egress", "dst", peer);
            tcFilter(namespace, iface, "ingress", "src", peer);
        }
    }

    private void tcFilter(String namespace, String iface, String direction, String field, String peer) {
        List<String> filter = List.of("tc", "-n", namespace, "filter", "add", "dev", iface, direction, "protocol", "ip",
                "prio", "1", "u32", "match", "ip", field, peer + "/32");
        if (method() == Method.TC_DROP) {
            Ip.Result r = Ip.tryRun(concat(filter, List.of("action", "drop")));
            if (r.code() == 0) {
                return;
            }
            if (!r.output().contains("action")) {
                throw new IllegalStateException("`" + String.join(" ", filter) + " action drop` failed: " + r.output().strip());
            }
            detected = Method.TC_MIRRED_TO_DOWN_DEVICE; // "Failed to load TC action module": no act_gact here
        }
        Ip.Result exists = Ip.tryRun(List.of("ip", "-n", namespace, "link", "show", VOID_INTERFACE));
        if (exists.code() != 0) {
            Ip.ip("-n", namespace, "link", "add", VOID_INTERFACE, "type", "ifb"); // created down, stays down
        }
        Ip.run(concat(filter, List.of("action", "mirred", "egress", "redirect", "dev", VOID_INTERFACE)));
    }

    private static void nftDrop(String namespace, List<String> peers) {
        StringBuilder script = new StringBuilder()
                .append("add table inet ").append(TABLE).append('\n')
                .append("add chain inet ").append(TABLE).append(" in { type filter hook input priority 0; }\n")
                .append("add chain inet ").append(TABLE).append(" out { type filter hook output priority 0; }\n");
        for (String peer : peers) {
            script.append("add rule inet ").append(TABLE).append(" in ip saddr ").append(peer).append(" drop\n");
            script.append("add rule inet ").append(TABLE).append(" out ip daddr ").append(peer).append(" drop\n");
        }
        // nft reads the script from stdin; it talks netlink in the namespace, it connects to nothing
        Ip.run(List.of("ip", "netns", "exec", namespace, "sh", "-c", "printf '%s' \"$0\" | nft -f -", script.toString()));
    }

    /** Removes every rule {@link #drop} added in {@code namespace}. */
    void heal(String namespace, String iface) {
        if (method() == Method.NFT) {
            Ip.tryRun(List.of("ip", "netns", "exec", namespace, "nft", "delete", "table", "inet", TABLE));
            return;
        }
        Ip.tryRun(List.of("tc", "-n", namespace, "qdisc", "del", "dev", iface, "clsact"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
