package dev.warden.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFilesTest {
    @Test
    void aWriteLeavesTheWholeFileAndNoTempBehind(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("owner.json");
        AtomicFiles.writeString(target, "{\"pid\": 1}");
        AtomicFiles.writeString(target, "{\"pid\": 2}");

        assertThat(target).hasContent("{\"pid\": 2}");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("owner.json");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    }

    @Test
    void aReplacedFileKeepsItsMode(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("token"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeString(target, "new");

        assertThat(target).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }

    @Test
    void tempFilesAreNewPrivateAndNamedSoLeftoversAreRecognised(@TempDir Path dir) throws Exception {
        Path a = AtomicFiles.createTemp(dir, ".events.jsonl.");
        Path b = AtomicFiles.createTemp(dir, ".events.jsonl.");

        assertThat(a).isNotEqualTo(b).exists();
        assertThat(b).exists();
        for (Path p : new Path[] {a, b}) {
            String n = p.getFileName().toString();
            assertThat(n).startsWith(".events.jsonl." + ProcessHandle.current().pid() + "-").endsWith(".tmp");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }
    }

    @Test
    void aLeftoverOfADeadProcessWithTheSamePidIsStepped(@TempDir Path dir) throws Exception {
        Path first = AtomicFiles.createTemp(dir, ".x.");
        String n = first.getFileName().toString();
        long seq = Long.parseLong(n.substring(n.lastIndexOf('-') + 1, n.length() - ".tmp".length()));
        for (long next = seq + 1; next <= seq + 20; next++) { // as if an earlier process with this pid had left them
            Files.createFile(dir.resolve(".x." + ProcessHandle.current().pid() + "-" + next + ".tmp"));
        }
        Path second = AtomicFiles.createTemp(dir, ".x.");

        assertThat(second.getFileName().toString()).isNotEqualTo(n);
        assertThat(Files.size(second)).isZero();
    }
}
