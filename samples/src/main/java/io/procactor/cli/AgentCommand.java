package io.procactor.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import io.procactor.ActorSystem;
import io.procactor.ClusterMember;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code procactor agent --cluster URL}: runs a host agent until SIGTERM or Ctrl-C. An agent is an
 * actor system with {@code procactor.cluster.role = agent}: it registers this host with the
 * cluster (host, incarnation, the address of its cluster endpoint, cores, memory, labels) and
 * starts child JVMs for the nodes that place processes here ({@code Placement}), on its own class
 * path: the application's jars must be on every agent ({@code --class-path}), as Ray and Dask
 * workers share an environment. Runs on the calling thread; the shutdown hook closes the system.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = ProcactorCli.Version.class,
        description = {"Run a host agent: join the cluster and start child JVMs for the nodes that place processes on this "
                + "host, until SIGTERM or Ctrl-C. See docs/cluster.md."})
final class AgentCommand implements Callable<Integer> {
    @ParentCommand
    ProcactorCli cli;

    @Option(names = "--cluster", required = true, paramLabel = "URL",
            description = "The cluster: zookeeper://host:port[,host:port...][/path] (procactor.cluster.mode).")
    String cluster;

    @Option(names = "--host", paramLabel = "NAME",
            description = "The host name to register under (procactor.cluster.host); default this machine's host name.")
    String host;

    @Option(names = "--bind", paramLabel = "IP:PORT",
            description = "Where the agent's cluster endpoint listens (procactor.cluster.bind); default this host's address, any port.")
    String bind;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "A label of this host, for placement (procactor.cluster.labels); repeatable.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--class-path", paramLabel = "PATH",
            description = "The class path of the child JVMs this agent starts (procactor.child.class-path): procactor's jars "
                    + "and the application's, separated by ':'. Default: this agent's own.")
    String classPath;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A HOCON file with more settings (e.g. procactor.transport.tls, procactor.cluster.secret-file).")
    Path config;

    @CommandLine.Mixin
    ProcactorCli.SetOptions set = new ProcactorCli.SetOptions();

    @Override
    public Integer call() throws Exception {
        if (config != null && !Files.isRegularFile(config)) {
            throw new ProcactorCli.UsageError("--config [" + config + "] is not a file");
        }
        set.rejectTopologyKeys("agent");
        List<String> overrides = new ArrayList<>(set.sets);
        // not quoted: a --set value holding "//" is taken as a plain string, quotes and all
        overrides.add("procactor.cluster.mode=" + cluster.trim());
        overrides.add("procactor.cluster.role=agent");
        if (host != null) {
            overrides.add("procactor.cluster.host=" + ConfigUtil.quoteString(host));
        }
        if (bind != null) {
            overrides.add("procactor.cluster.bind=" + ConfigUtil.quoteString(bind));
        }
        for (String kv : labels) {
            int eq = kv.indexOf('=');
            if (eq <= 0 || eq == kv.length() - 1) {
                throw new ProcactorCli.UsageError("--label [" + kv + "] must be KEY=VALUE, e.g. --label zone=a");
            }
            overrides.add(ConfigUtil.joinPath("procactor", "cluster", "labels", kv.substring(0, eq).trim()) + "="
                    + ConfigUtil.quoteString(kv.substring(eq + 1).trim()));
        }
        if (classPath != null) {
            List<String> entries = new ArrayList<>();
            for (String e : classPath.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
                if (e.isBlank()) {
                    throw new ProcactorCli.UsageError("--class-path [" + classPath + "] has an empty entry");
                }
                entries.add(ConfigUtil.quoteString(Path.of(e.trim()).toAbsolutePath().toString()));
            }
            overrides.add("procactor.child.class-path=[" + String.join(",", entries) + "]");
        }
        Config effective = cli.load(config, overrides);
        ActorSystem system = ActorSystem.create("agent", effective); // ConfigurationException: exit code 2
        ClusterMember self = system.cluster().self();
        cli.out.println("agent " + self.host() + " joined cluster " + cluster + " as " + self + ", listening on "
                + self.address());
        cli.out.flush();
        return cli.closingOnSignal(system, () -> {
            new CountDownLatch(1).await(); // until SIGTERM or Ctrl-C: the hook closes the system and the JVM exits
            return ProcactorCli.OK;
        });
    }
}
