package dev.warden.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven stamped into the jar; "dev" when running from classes. */
final class WardenVersion {
    static final String VALUE = read();

    private WardenVersion() {}

    private static String read() {
        try (InputStream in = WardenVersion.class.getResourceAsStream("/META-INF/maven/dev.warden/warden/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }
}
