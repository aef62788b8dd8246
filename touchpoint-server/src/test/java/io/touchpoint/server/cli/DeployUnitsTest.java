package io.touchpoint.server.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The systemd units in deploy/: the command lines they run are ones this program accepts, the hardening the README
 * promises is there, and systemd's own checker finds nothing wrong with them where it is installed.
 */
class DeployUnitsTest {
    private static final Path DEPLOY = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy");
    private static final Pattern JAR_ARGS = Pattern.compile("-jar /opt/touchpoint/touchpoint\\.jar ([^'\\n]+)");

    @Test
    void theUnitsRunCommandsThisProgramAccepts() throws IOException {
        List<String> commands = new ArrayList<>();
        for (String unit : List.of("touchpoint.service", "touchpoint-backup.service")) {
            Matcher m = JAR_ARGS.matcher(Files.readString(DEPLOY.resolve(unit)));
            assertThat(m.find()).as(unit + " runs the jar").isTrue();
            // the backup's file name is made by the shell: any name stands for it here
            String[] args = m.group(1).replaceAll("\"[^\"]*\\$\\$\\(date[^\"]*\"", "backup.zip").strip().split("\\s+");
            var parsed = Main.commandLine().parseArgs(args);
            assertThat(parsed.subcommand()).as(unit + ": " + Arrays.toString(args)).isNotNull();
            assertThat(parsed.subcommand().matchedOption("--data").<String>getValue()).isEqualTo("/var/lib/touchpoint");
            commands.add(parsed.subcommand().commandSpec().name());
        }
        assertThat(commands).containsExactly("serve", "backup");
    }

    @Test
    void theServiceIsHardenedAndStopsGracefully() throws IOException {
        String unit = Files.readString(DEPLOY.resolve("touchpoint.service"));
        assertThat(unit.lines().map(String::strip).filter(l -> !l.startsWith("#")).toList()).contains(
                "User=touchpoint", "StateDirectory=touchpoint", "StateDirectoryMode=0700", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service",
                "CapabilityBoundingSet=", "KillSignal=SIGTERM", "UMask=0077")
                // the JVM's just-in-time compiler writes code into memory it then runs
                .noneMatch(l -> l.startsWith("MemoryDenyWriteExecute"));
    }

    @Test
    void systemdFindsNothingWrongWithThem() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/java")), "the units run /usr/bin/java, which is not here");
        Process p = new ProcessBuilder("/usr/bin/systemd-analyze", "verify", "touchpoint.service",
                "touchpoint-backup.service", "touchpoint-backup.timer").directory(DEPLOY.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("systemd-analyze verify").isEmpty();
        assertThat(p.exitValue()).isZero();
    }
}
