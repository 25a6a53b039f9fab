package io.procactor.samples.fetchurls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Futures;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import io.procactor.RemoteActorException;
import io.procactor.samples.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A {@code ProcessPoolExecutor} fetching five URLs, each result printed as it completes: three
 * pages of different sizes, one that does not exist and one slower than the fetch timeout. The
 * Python original fetched real sites; this sample starts its own HTTP server on 127.0.0.1 (an
 * ephemeral port), so no traffic leaves the machine and the output does not depend on the internet.
 *
 * <pre>
 * def load_url(url, timeout):
 *     with urllib.request.urlopen(url, timeout=timeout) as conn:
 *         return conn.read()
 *
 * with ProcessPoolExecutor(max_workers=5) as executor:
 *     future_to_url = {executor.submit(load_url, url, 1): url for url in URLS}
 *     for future in as_completed(future_to_url):
 *         url = future_to_url[future]
 *         try:
 *             data = future.result()
 *         except Exception as exc:
 *             print('%r generated an exception: %s' % (url, exc))
 *         else:
 *             print('%r page is %d bytes' % (url, len(data)))
 * </pre>
 */
public final class FetchUrlsSample implements Sample {
    /** Python's {@code load_url(url, 1)}: each fetch gives up after a second. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(1);
    /** The slow page answers after this long: longer than {@link #FETCH_TIMEOUT}, so its fetch fails. */
    static final Duration SLOW_PAGE_DELAY = Duration.ofSeconds(3);
    /** {@code as_completed}'s timeout: a bound on the whole run, in case a fetch hangs. */
    static final Duration AS_COMPLETED_TIMEOUT = Duration.ofSeconds(10);

    /** The OK pages and their sizes in bytes. */
    static final Map<String, Integer> PAGES = Map.of("/daum", 1_000, "/cnn", 25_000, "/naver", 150_000);
    static final String SLOW_PAGE = "/youtube";
    static final String MISSING_PAGE = "/some-made-up-page";

    /** A task: Python's {@code load_url} arguments. */
    public record Fetch(String url, Duration timeout) {
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Fetch.class, 1000);
    }

    /** A pool worker: fetches a URL and replies with the body; throws, as {@code urlopen} raises, if it cannot. */
    public static final class Fetcher extends Actor {
        @Override
        protected void onReceive(Object message) throws IOException {
            if (message instanceof Fetch fetch) {
                reply(load(fetch.url(), fetch.timeout()));
            } else {
                unhandled(message);
            }
        }

        /**
         * Python's {@code load_url}. HttpURLConnection rather than java.net.http.HttpClient: it is
         * part of java.base and cheap to load, so a freshly started worker JVM answers within the
         * one-second timeout even on a busy machine.
         */
        static byte[] load(String url, Duration timeout) throws IOException {
            // Proxy.NO_PROXY: a proxy configured on the machine must not see (or break) requests to our loopback server.
            HttpURLConnection conn = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
            conn.setConnectTimeout((int) timeout.toMillis());
            conn.setReadTimeout((int) timeout.toMillis()); // what times out on the slow page
            try {
                int status = conn.getResponseCode();
                if (status >= 400) {
                    throw new IOException("HTTP Error " + status + ": " + conn.getResponseMessage()); // urlopen's HTTPError
                }
                try (InputStream in = conn.getInputStream()) {
                    return in.readAllBytes();
                }
            } finally {
                conn.disconnect();
            }
        }
    }

    @Override
    public String name() {
        return "fetch-urls";
    }

    @Override
    public String description() {
        return "5 worker processes fetch 5 URLs from a local HTTP server (3 OK, 1 missing, 1 too slow), printed as completed";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        HttpServer server = startServer();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> urls = List.of(base + "/daum", base + "/cnn", base + "/naver", base + SLOW_PAGE, base + MISSING_PAGE);
            try (Pool executor = system.pool(Props.create(Fetcher.class), PoolOptions.size(5).name("fetcher"))) {
                // Python forks its workers in milliseconds; wait for the JVMs, so their start-up does
                // not eat into the one-second fetch timeout.
                for (ActorProcess worker : executor.workers()) {
                    worker.ready().get(60, TimeUnit.SECONDS);
                }
                Map<CompletableFuture<byte[]>, String> futureToUrl = new LinkedHashMap<>();
                for (String url : urls) {
                    futureToUrl.put(executor.submit(new Fetch(url, FETCH_TIMEOUT)), url);
                }
                try {
                    for (CompletableFuture<byte[]> future : Futures.asCompleted(futureToUrl.keySet(), AS_COMPLETED_TIMEOUT)) {
                        String url = futureToUrl.get(future);
                        try {
                            byte[] data = future.get();
                            out.println(String.format("'%s' page is %d bytes", url, data.length));
                        } catch (ExecutionException e) {
                            out.println(String.format("'%s' generated an exception: %s", url, describe(e.getCause())));
                        }
                    }
                } catch (Futures.AsCompletedTimeoutException e) {
                    out.println("as_completed gave up: " + e.getMessage());
                }
            }
        } finally {
            stop(server);
        }
    }

    /** The remote exception as Python prints one: its type and message, without the actor path around it. */
    private static String describe(Throwable t) {
        if (t instanceof RemoteActorException r) {
            String type = r.remoteClassName().substring(r.remoteClassName().lastIndexOf('.') + 1);
            return r.remoteMessage() == null ? type : type + ": " + r.remoteMessage();
        }
        return t.toString();
    }

    /** The pages, on the loopback address only (ephemeral port), each request on its own thread so the slow page delays nothing else. */
    static HttpServer startServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0); // a literal: no lookup, IPv4 as the URLs say
        server.createContext("/", FetchUrlsSample::serve);
        ExecutorService handlers = Executors.newFixedThreadPool(5, r -> {
            Thread t = new Thread(r, "fetch-urls-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        server.start();
        return server;
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Integer size = PAGES.get(path);
            if (path.equals(SLOW_PAGE)) {
                try {
                    Thread.sleep(SLOW_PAGE_DELAY.toMillis());
                } catch (InterruptedException e) {
                    return; // the server is stopping
                }
                size = 100;
            }
            if (size == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = new byte[size];
            Arrays.fill(body, (byte) 'x');
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /** Closes the port at once and interrupts a handler still sleeping on the slow page. */
    static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
