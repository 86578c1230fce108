package dev.warden.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"warden " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
