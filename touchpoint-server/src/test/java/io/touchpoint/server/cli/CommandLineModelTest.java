package io.touchpoint.server.cli;

import io.touchpoint.server.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as a whole, walked through picocli's model: every command, option and positional argument is
 * described in {@code --help}; every command that opens a store refuses a data folder without one; and the bash
 * completion script picocli writes from the same model completes commands and options.
 */
class CommandLineModelTest {
    @TempDir
    Path dir;

    /** Every command and subcommand, the root first. */
    static List<CommandLine> allCommands() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        return all;
    }

    private static void collect(CommandLine c, List<CommandLine> into) {
        into.add(c);
        c.getSubcommands().values().forEach(s -> collect(s, into));
    }

    private static String path(CommandLine c) {
        return c.getCommandSpec().qualifiedName(" ");
    }

    @Test
    void everyCommandOptionAndArgumentHasADescription() {
        List<String> undescribed = new ArrayList<>();
        for (CommandLine c : allCommands()) {
            CommandSpec spec = c.getCommandSpec();
            if (String.join("", spec.usageMessage().description()).isBlank()) undescribed.add(path(c) + " (the command)");
            for (OptionSpec o : spec.options()) {
                if (blank(o)) undescribed.add(path(c) + " " + o.longestName());
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (blank(p)) undescribed.add(path(c) + " " + p.paramLabel());
            }
        }
        assertThat(undescribed).as("options and arguments that --help shows without a word on them").isEmpty();
    }

    private static boolean blank(ArgSpec a) {
        return String.join("", a.description()).isBlank();
    }

    @Test
    void everyCommandAnswersHelp() {
        for (CommandLine c : allCommands()) {
            List<String> args = new ArrayList<>(List.of(path(c).split(" ")).subList(1, path(c).split(" ").length));
            args.add("--help");
            Cli.Run r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(path(c) + " --help: " + r).isZero();
            assertThat(r.out()).as(path(c) + " --help").startsWith("Usage: " + path(c));
        }
    }

    /**
     * The trap of a second, empty store: a command run from another folder than the server's (or without the
     * server's --data) found no store and made one. Every command that opens a store stops instead, naming the
     * folder it looked in and --data, and leaves no folder behind.
     */
    @Test
    void everyStoreCommandRefusesAFolderWithoutAStore() {
        Path missing = dir.resolve("not-the-servers-folder");
        List<String> checked = new ArrayList<>();
        for (CommandLine c : allCommands()) {
            Object command = c.getCommandSpec().userObject();
            if (!(command instanceof StoreCommand) && !(command instanceof BackupCommand)) continue;
            List<String> args = new ArrayList<>(List.of(path(c).split(" ")).subList(1, path(c).split(" ").length));
            for (PositionalParamSpec p : c.getCommandSpec().positionalParameters()) {
                for (int i = 0; i < Math.max(1, p.arity().min()); i++) args.add(p.paramLabel().equals("FILE") ? dir.resolve("b.zip").toString() : "x");
            }
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.required()) args.addAll(List.of(o.longestName(), "x"));
            }
            args.addAll(List.of("--data", missing.toString()));
            Cli.Run r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args))
                    .contains("no Touchpoint store in " + missing.toAbsolutePath())
                    .contains("--data DIR").contains("touchpoint serve");
            assertThat(missing).as("no store, nor its folder, made by " + path(c)).doesNotExist();
            checked.add(path(c));
        }
        assertThat(checked).contains("touchpoint workspace create", "touchpoint workspace list", "touchpoint token create",
                "touchpoint destination add", "touchpoint admin-token reset", "touchpoint backup");
    }

    @Test
    void completionScriptCompletesCommandsAndOptions() throws Exception {
        Cli.Run r = Cli.run("completion");
        assertThat(r.exit()).as(r.err()).isZero();
        Path script = dir.resolve("touchpoint-completion.bash");
        Files.writeString(script, r.out(), StandardCharsets.UTF_8);

        assertThat(complete(script, "touchpoint", "wor")).contains("workspace");
        assertThat(complete(script, "touchpoint", "")).contains("serve", "backup", "restore", "version", "completion");
        assertThat(complete(script, "touchpoint", "workspace", "create", "--cur")).contains("--currency");
        assertThat(complete(script, "touchpoint", "backup", "--")).contains("--data", "--force", "--help");
        assertThat(complete(script, "./touchpoint", "res")).as("the repository's launcher").contains("restore");
    }

    /** Runs the completion function bash would for {@code words} (the last one being typed); the candidates. */
    private static List<String> complete(Path script, String... words) throws IOException, InterruptedException {
        String line = String.join(" ", words);
        String bash = "source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; "
                + "COMP_POINT=${#COMP_LINE}; fn=$(complete -p \"$1\" | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p'); "
                + "\"$fn\" \"$1\" \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"; printf '%s\\n' \"${COMPREPLY[@]}\"";
        List<String> command = new ArrayList<>(List.of("bash", "-c", bash, "bash", script.toString()));
        command.addAll(List.of(words));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("completing '" + line + "': " + out).isZero();
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
