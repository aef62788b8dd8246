package io.touchpoint.server.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code touchpoint completion}: the bash completion script picocli writes from this command line's model. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash (and zsh) completion script for this command line.",
                "It completes commands, options and file names after `touchpoint` and the repository's launcher"
                        + " `./touchpoint`; zsh reads it after `autoload -U bashcompinit && bashcompinit`.",
                "Try it with `source <(./touchpoint completion)`; install it with"
                        + " `./touchpoint completion > ~/.local/share/bash-completion/completions/touchpoint`."})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("touchpoint", spec.root().commandLine()));
        // the repository's launcher is typed as ./touchpoint, a command word bash completes only when named
        out.println("complete -F _complete_touchpoint -o default ./touchpoint");
        out.flush();
        return 0;
    }
}
