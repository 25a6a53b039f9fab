package io.procactor.internal.node;

import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The status document of the admin endpoint ({@code procactor ps}): the node, its own actors, and
 * each live child with what the child reports about itself ({@code StatusRequest} /
 * {@code StatusReply}).
 *
 * <p>Threads: thread-safe. {@link #build()} on the admin endpoint's thread (it waits for the
 * children's replies, bounded by {@code procactor.admin.status-timeout}); {@link #reply} on the I/O
 * thread of a child's control connection.
 */
final class AdminStatus {
    private final String systemName;
    private final String transportKind;
    private final Duration timeout;
    private final ChildDirectory children;
    private final ProcessCore core;
    private final long startedMillis = System.currentTimeMillis();
    /** The files the node's configuration came from ({@code config.ConfigFiles}): tells apart nodes of one system name. */
    private final List<String> configFiles;
    /** Status requests to children awaiting their reply, by id. */
    private final Map<Long, CompletableFuture<Protocol.StatusReply>> statusRequests = new ConcurrentHashMap<>();
    private final AtomicLong statusSeq = new AtomicLong();

    AdminStatus(String systemName, String transportKind, Duration timeout, ChildDirectory children, ProcessCore core,
                List<String> configFiles) {
        this.systemName = systemName;
        this.configFiles = List.copyOf(configFiles);
        this.transportKind = transportKind;
        this.timeout = timeout;
        this.children = children;
        this.core = core;
    }

    /** Pids of the node's idle spare child JVMs (procactor.child.spares): listed as spares, not processes. */
    private volatile java.util.function.Supplier<List<Long>> spares = List::of;

    void spares(java.util.function.Supplier<List<Long>> pids) {
        spares = pids;
    }

    /** A child answered a status request; a late answer (after {@link #build()} gave up on it) is dropped. */
    void reply(Protocol.StatusReply r) {
        CompletableFuture<Protocol.StatusReply> f = statusRequests.remove(r.id());
        if (f != null) {
            f.complete(r);
        }
    }

    /**
     * The node and its live processes, as the admin endpoint reports them: asks every connected
     * child for its actors and heap and waits up to {@code procactor.admin.status-timeout};
     * a child that does not answer in time is reported as unresponsive.
     */
    Map<String, Object> build() {
        long now = System.currentTimeMillis();
        List<ChildHandle> live = new ArrayList<>();
        int exited = 0;
        for (ChildHandle c : children.all()) {
            if (c.exitStatus().isPresent()) {
                exited++;
            } else {
                live.add(c);
            }
        }
        live.sort(Comparator.comparing(ChildHandle::name));
        Map<ChildHandle, CompletableFuture<Protocol.StatusReply>> asked = new java.util.HashMap<>();
        List<Long> askedIds = new ArrayList<>();
        for (ChildHandle c : live) {
            Connection conn = c.connection();
            if (c.isReady() && conn != null && conn.isOpen()) {
                long id = statusSeq.incrementAndGet();
                CompletableFuture<Protocol.StatusReply> f = new CompletableFuture<>();
                statusRequests.put(id, f);
                asked.put(c, f);
                askedIds.add(id);
                conn.send(new Protocol.StatusRequest(id));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, Object>> processes = new ArrayList<>();
        for (ChildHandle c : live) {
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            p.put("name", c.name());
            String state = c.stateName();
            if (!state.equals("new")) {
                try {
                    p.put("pid", c.pid());
                } catch (IllegalStateException notStarted) {
                    // raced with start
                }
                p.put("uptime-ms", c.startedMillis() == 0 ? 0 : now - c.startedMillis());
            }
            p.put("restarts", c.restarts());
            CompletableFuture<Protocol.StatusReply> f = asked.get(c);
            Protocol.StatusReply reply = null;
            if (f != null) {
                try {
                    reply = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    state = "unresponsive";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    state = "unresponsive";
                }
            }
            p.put("state", state);
            if (reply != null) {
                p.put("actors", actors(reply.actors(), reply.mailboxDepths()));
                p.put("heap", heap(reply.heapUsed(), reply.heapMax()));
            }
            processes.add(p);
        }
        askedIds.forEach(statusRequests::remove); // late replies of unresponsive children are dropped
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("system", systemName);
        m.put("pid", core.pid());
        m.put("started", java.time.Instant.ofEpochMilli(startedMillis).toString());
        m.put("uptime-ms", now - startedMillis);
        m.put("config-files", configFiles);
        m.put("transport", transportKind);
        Map<String, Integer> own = core.mailboxDepths();
        m.put("actors", actors(new ArrayList<>(own.keySet()), new ArrayList<>(own.values())));
        Runtime rt = Runtime.getRuntime();
        m.put("heap", heap(rt.totalMemory() - rt.freeMemory(), rt.maxMemory() == Long.MAX_VALUE ? -1 : rt.maxMemory()));
        m.put("processes", processes);
        m.put("spares", spares.get());
        m.put("exited-processes", exited);
        return m;
    }

    private static List<Map<String, Object>> actors(List<String> names, List<Integer> depths) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Map<String, Object> a = new java.util.LinkedHashMap<>();
            a.put("name", names.get(i));
            a.put("mailbox", i < depths.size() ? depths.get(i) : 0);
            l.add(a);
        }
        return l;
    }

    private static Map<String, Object> heap(long used, long max) {
        Map<String, Object> h = new java.util.LinkedHashMap<>();
        h.put("used", used);
        h.put("max", max);
        return h;
    }
}
