package dev.warden.diagnose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Access to the real-text fixtures under src/test/resources/diagnose/fixtures (see SOURCES.md there). */
final class Fixtures {
    private Fixtures() {}

    static Path path(String name) {
        return resource("/diagnose/fixtures/" + name);
    }

    /** Any test resource by absolute classpath name, e.g. "/diagnose/gpu/nvsmi_q_h100-80gb-hbm3_load.txt". */
    static Path resource(String absoluteName) {
        URL url = Fixtures.class.getResource(absoluteName);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + absoluteName);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's lines, 1-based access via get(n - 1), split like the classifier counts them. */
    static List<String> lines(String name) {
        return List.of(text(name).split("\n", -1));
    }

    static Diagnoser diagnoser() {
        return diagnoser(new ArrayList<>());
    }

    static Diagnoser diagnoser(List<String> warnings) {
        return Diagnoser.load((Path) null, List.of(), warnings::add).withRedactor(Redactor.none());
    }
}
