package dev.warden.supervise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The library directories Warden names for JNA, instead of JNA asking `ldconfig -p` on every start. */
class JnaStartupTest {
    @Test
    void ldSoConfDirectoriesFollowJnasOwnAndOnlyExistingOnesCount(@TempDir Path tmp) throws Exception {
        Path cuda = Files.createDirectories(tmp.resolve("cuda/lib64"));
        Path local = Files.createDirectories(tmp.resolve("local/lib"));
        Path confD = Files.createDirectories(tmp.resolve("ld.so.conf.d"));
        Files.writeString(confD.resolve("b-cuda.conf"), cuda + "\n");
        Files.writeString(confD.resolve("a-libc.conf"), "# libc default configuration\n" + local + "  # trailing comment\n"
                + tmp.resolve("gone") + "\n");
        Files.writeString(confD.resolve("not-a-conf.txt"), tmp.resolve("ignored") + "\n");
        Path conf = Files.writeString(tmp.resolve("ld.so.conf"), "include " + confD + "/*.conf\n");

        List<String> dirs = JnaStartup.libraryDirs("x86_64-linux-gnu", conf);

        assertThat(dirs).containsSubsequence(local.toString(), cuda.toString())
                .doesNotContain(tmp.resolve("gone").toString(), tmp.resolve("ignored").toString());
        assertThat(dirs).filteredOn(d -> !d.startsWith(tmp.toString())).allSatisfy(d -> assertThat(Path.of(d)).isDirectory());
        assertThat(dirs.indexOf("/lib")).isLessThan(dirs.indexOf(local.toString()));
    }

    @Test
    void aRelativeIncludeIsReadBesideTheFileThatNamesIt(@TempDir Path tmp) throws Exception {
        Path extra = Files.createDirectories(tmp.resolve("extra"));
        Files.createDirectories(tmp.resolve("conf.d"));
        Files.writeString(tmp.resolve("conf.d/x.conf"), extra + "\n");
        Path conf = Files.writeString(tmp.resolve("ld.so.conf"), "include conf.d/*.conf\n");

        assertThat(JnaStartup.libraryDirs("x86_64-linux-gnu", conf)).contains(extra.toString());
    }

    @Test
    void includeWildcardsMatchAsTheShellDoes() {
        assertThat(JnaStartup.matches("*.conf", "libc.conf")).isTrue();
        assertThat(JnaStartup.matches("*.conf", "libc.conf.bak")).isFalse();
        assertThat(JnaStartup.matches("zz-*-?.conf", "zz-cuda-9.conf")).isTrue();
        assertThat(JnaStartup.matches("zz-*-?.conf", "zz-cuda-12.conf")).isFalse();
        assertThat(JnaStartup.matches("x86_64-linux-gnu.conf", "x86_64-linux-gnu.conf")).isTrue();
        assertThat(JnaStartup.matches("*", "")).isTrue();
    }

    @Test
    void libcStillLoadsThroughTheNamedDirectories() {
        JnaStartup.prepare();
        assertThat(Libc.loaded()).isTrue();
        assertThat(Libc.kill(ProcessHandle.current().pid(), 0)).isTrue();
    }
}
