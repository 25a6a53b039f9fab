package io.procactor.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.procactor.ProcactorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code procactor ps}: the procactor nodes of this user on this machine, each with its child
 * processes, read from each node's admin endpoint (a Unix domain socket in
 * {@code procactor.admin.dir}, by default {@code <java.io.tmpdir>/procactor-<user>/nodes}).
 * Each node shows its pid, start time and configuration files, so two nodes of one system name
 * are told apart. Sockets whose node is gone are removed.
 */
@Command(name = "ps", mixinStandardHelpOptions = true, versionProvider = ProcactorCli.Version.class,
        description = {"List the running procactor nodes of this user on this machine (pid, start time, configuration files), "
                + "with their child processes: name, pid, uptime, restarts, state, heap, hosted actors and their mailbox depths.",
                "Reads each node's local admin endpoint (procactor.admin.*); only the same user can reach it."})
final class PsCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    @ParentCommand
    ProcactorCli cli;

    @Option(names = "--json", description = "Print the nodes' status documents as a JSON array instead of tables.")
    boolean json;

    @CommandLine.Mixin
    ProcactorCli.SetOptions set = new ProcactorCli.SetOptions();

    /** One node's answer, or why there is none. */
    record Node(long pid, Path socket, String json, String error) {
    }

    @Override
    public Integer call() throws Exception {
        set.rejectTopologyKeys("ps");
        Path dir = ProcactorConfig.adminDirectory(cli.load(null, set.sets));
        List<Node> nodes = query(dir);
        if (json) {
            cli.out.println(nodes.stream().filter(n -> n.json() != null).map(Node::json).collect(Collectors.joining(",", "[", "]")));
            return ProcactorCli.OK;
        }
        if (nodes.isEmpty()) {
            cli.out.println("no procactor nodes running (admin sockets in " + dir + ")");
            return ProcactorCli.OK;
        }
        for (Node n : nodes) {
            if (n.error() != null) {
                cli.out.println("node " + n.pid() + ": not answering on " + n.socket() + " (" + n.error() + ")");
            } else {
                print(ConfigFactory.parseString(n.json()));
            }
            cli.out.println();
        }
        return ProcactorCli.OK;
    }

    /** Every live node's status; sockets of dead nodes are deleted on the way. */
    static List<Node> query(Path dir) throws IOException {
        List<Node> nodes = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return nodes;
        }
        List<Path> sockets;
        try (Stream<Path> files = Files.list(dir)) {
            sockets = files.filter(p -> p.getFileName().toString().endsWith(".sock")).sorted().toList();
        }
        for (Path socket : sockets) {
            long pid = pidOf(socket);
            if (pid < 0) {
                continue;
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    nodes.add(new Node(pid, socket, status(socket), null));
                } catch (IOException e) {
                    nodes.add(new Node(pid, socket, null, e.getMessage() == null ? e.toString() : e.getMessage()));
                }
            } else {
                Files.deleteIfExists(socket); // its node died without closing
            }
        }
        return nodes;
    }

    /** {@code 1234-1.sock} belongs to pid 1234. */
    static long pidOf(Path socket) {
        String n = socket.getFileName().toString();
        int end = n.indexOf('-');
        try {
            return Long.parseLong(n.substring(0, end > 0 ? end : n.length() - ".sock".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Sends {@code status} and reads the answer to its end, within {@link #TIMEOUT}. */
    static String status(Path socket) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ByteBuffer request = ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("no answer within " + TIMEOUT.toMillis() + " ms");
                }
                selector.select(left);
                if (key.isWritable()) {
                    ch.write(request);
                    if (!request.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                } else if (key.isReadable()) {
                    int n = ch.read(buf);
                    if (n < 0) {
                        break;
                    }
                    answer.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                selector.selectedKeys().clear();
            }
            String text = answer.toString(StandardCharsets.UTF_8).trim();
            try {
                Config c = ConfigFactory.parseString(text);
                if (c.hasPath("error")) {
                    throw new IOException(c.getString("error"));
                }
            } catch (ConfigException e) {
                throw new IOException("unreadable answer: " + e.getMessage(), e);
            }
            return text;
        }
    }

    private void print(Config node) {
        cli.out.println(String.format(Locale.ROOT, "node %d  system %s  started %s  up %s  transport %s  heap %s  actors %s",
                node.getLong("pid"), node.getString("system"), started(node), uptime(node.getLong("uptime-ms")),
                node.getString("transport"), heap(node.getConfig("heap")), actors(node.getConfigList("actors"))));
        cli.out.println("  config " + configFiles(node));
        List<? extends Config> processes = node.getConfigList("processes");
        if (processes.isEmpty()) {
            cli.out.println("  (no child processes)");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "PID", "UPTIME", "RESTARTS", "STATE", "HEAP", "ACTORS (MAILBOX)"});
        for (Config p : processes) {
            rows.add(new String[] {
                    p.getString("name"),
                    p.hasPath("pid") ? Long.toString(p.getLong("pid")) : "-",
                    p.hasPath("uptime-ms") ? uptime(p.getLong("uptime-ms")) : "-",
                    Integer.toString(p.getInt("restarts")),
                    p.getString("state"),
                    p.hasPath("heap") ? heap(p.getConfig("heap")) : "-",
                    p.hasPath("actors") ? actors(p.getConfigList("actors")) : "-"});
        }
        if (!processes.isEmpty()) {
            int[] width = new int[rows.get(0).length];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder b = new StringBuilder("  ");
                for (int i = 0; i < r.length; i++) {
                    b.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
                }
                cli.out.println(b.toString().stripTrailing());
            }
        }
        if (node.hasPath("exited-processes") && node.getInt("exited-processes") > 0) {
            cli.out.println("  (" + node.getInt("exited-processes") + " exited processes not shown)");
        }
        if (node.hasPath("spares") && !node.getLongList("spares").isEmpty()) { // procactor.child.spares
            cli.out.println("  (idle spare JVMs, not processes: " + node.getLongList("spares") + ")");
        }
    }

    /** When the node's system started, in local time to the second; "-" from a node too old to say. */
    static String started(Config node) {
        if (!node.hasPath("started")) {
            return "-";
        }
        try {
            return STARTED.format(Instant.parse(node.getString("started")));
        } catch (DateTimeParseException e) {
            return node.getString("started");
        }
    }

    /** The files the node's configuration came from, or what it was made of when it had none. */
    static String configFiles(Config node) {
        if (!node.hasPath("config-files")) {
            return "-";
        }
        List<String> files = node.getStringList("config-files");
        return files.isEmpty() ? "(no file: defaults, -D properties, environment, --set)" : String.join(", ", files);
    }

    static String uptime(long millis) {
        long s = millis / 1000;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }

    static String heap(Config heap) {
        long used = heap.getLong("used") >> 20;
        long max = heap.getLong("max");
        return max < 0 ? used + " MiB" : used + "/" + (max >> 20) + " MiB";
    }

    static String actors(List<? extends Config> actors) {
        if (actors.isEmpty()) {
            return "-";
        }
        return actors.stream().map(a -> a.getString("name") + "(" + a.getInt("mailbox") + ")").collect(Collectors.joining(" "));
    }
}
