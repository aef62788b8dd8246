package io.touchpoint.server.cli;

/** Stands in for the program in {@link LauncherTest}: the jar the fake Maven "builds" runs this. */
public final class LauncherProbe {
    private LauncherProbe() {
    }

    public static void main(String[] args) {
        System.out.println("probe: " + String.join(" ", args));
    }
}
