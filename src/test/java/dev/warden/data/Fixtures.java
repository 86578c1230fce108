package dev.warden.data;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the files under src/test/resources/data and lookups into reports. */
final class Fixtures {
    private Fixtures() {}

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/data/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture data/" + name, e);
        }
    }

    static DataReport check(String name) {
        return DataCheck.run(path(name), DataCheckOptions.defaults());
    }

    static Finding finding(DataReport r, String id) {
        return r.findings().stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + id + " in " + r.findings()));
    }
}
