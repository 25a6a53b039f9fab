package io.procactor.cli;

import io.procactor.ProcactorConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code procactor clean}: removes what nodes of this user left when they died. Runs on the calling thread. */
@Command(name = "clean", mixinStandardHelpOptions = true, versionProvider = ProcactorCli.Version.class,
        description = {"Remove the socket directories, admin sockets and shared memory that nodes of this user left behind when they "
                + "died without closing (SIGKILL, a crash). Running nodes are not touched; a starting node does the same."})
final class CleanCommand implements Callable<Integer> {
    @ParentCommand
    ProcactorCli cli;

    @CommandLine.Mixin
    ProcactorCli.SetOptions set = new ProcactorCli.SetOptions();

    @Override
    public Integer call() {
        set.rejectTopologyKeys("clean");
        List<Path> removed = ProcactorConfig.cleanStaleFiles(cli.load(null, set.sets));
        removed.forEach(p -> cli.out.println("removed " + p));
        cli.out.println(removed.isEmpty() ? "nothing to clean" : "removed " + removed.size() + " left by nodes that are gone");
        return ProcactorCli.OK;
    }
}
