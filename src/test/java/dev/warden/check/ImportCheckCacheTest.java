package dev.warden.check;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import and drift checks give a kept result without starting Python while nothing the probe loaded or looked at
 * changed, and probe again when anything did. The interpreter is the machine's python3 behind a wrapper that counts
 * its starts.
 */
class ImportCheckCacheTest {
    @TempDir
    Path dir;
    CheckHarness h;
    Path python;
    Path starts;

    @BeforeEach
    void setUp() throws Exception {
        h = new CheckHarness(dir);
        starts = dir.resolve("starts");
        python = dir.resolve("bin/python");
        Files.createDirectories(python.getParent());
        Files.writeString(python, "#!/bin/sh\necho x >> '" + starts + "'\nexec python3 \"$@\"\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(h.workdir.resolve("mylib"));
        Files.writeString(h.workdir.resolve("mylib/__init__.py"), "import json\nVERSION = 1\n");
    }

    private CheckResult check(Object... more) {
        Map<String, Object> args = new java.util.HashMap<>(Map.of("modules", List.of("mylib", "csv"), "python", python.toString()));
        for (int i = 0; i < more.length; i += 2) {
            args.put((String) more[i], more[i + 1]);
        }
        return h.run("import", args);
    }

    private long pythonStarts() throws Exception {
        return Files.exists(starts) ? Files.readAllLines(starts).size() : 0;
    }

    @Test
    void aSecondCheckWithNothingChangedStartsNoPython() throws Exception {
        CheckResult first = check();
        CheckResult second = check();

        assertThat(first.status()).isEqualTo(CheckResult.Status.PASS);
        assertThat(first.evidence()).doesNotContain("from the cache");
        assertThat(second.status()).isEqualTo(CheckResult.Status.PASS);
        assertThat(second.evidence()).startsWith(first.evidence()).contains("from the cache: none of the")
                .contains("`cache: false` imports every time");
        assertThat(pythonStarts()).isEqualTo(1);
    }

    @Test
    void aRewrittenModuleIsImportedAgainAndABrokenOneFailsEveryTime() throws Exception {
        check();
        Files.writeString(h.workdir.resolve("mylib/__init__.py"), "raise ImportError('built for another torch')\n");
        CheckResult broken = check();
        CheckResult stillBroken = check();
        Files.writeString(h.workdir.resolve("mylib/__init__.py"), "import json\nVERSION = 2\n");
        CheckResult fixed = check();

        assertThat(broken.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(stillBroken.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(fixed.status()).isEqualTo(CheckResult.Status.PASS);
        assertThat(fixed.evidence()).doesNotContain("from the cache");
        assertThat(pythonStarts()).isEqualTo(4);
    }

    @Test
    void aFileAddedWherePythonLooksIsImportedAgain() throws Exception {
        check();
        Files.writeString(h.workdir.resolve("csv.py"), "raise ImportError('a stray csv.py shadows the standard library')\n");
        CheckResult shadowed = check();

        assertThat(shadowed.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(shadowed.evidence()).contains("csv").contains("shadows");
        assertThat(pythonStarts()).isEqualTo(2);
    }

    @Test
    void anotherPythonpathOrModuleListIsAnotherEntry() throws Exception {
        check();
        h.tools(h.tools.with(Map.of("PYTHONPATH", dir.resolve("elsewhere").toString())));
        check();
        h.run("import", Map.of("modules", List.of("mylib"), "python", python.toString()));

        assertThat(pythonStarts()).isEqualTo(3);
    }

    @Test
    void cacheFalseImportsEveryTime() throws Exception {
        CheckResult a = check("cache", false);
        CheckResult b = check("cache", false);

        assertThat(b.evidence()).isEqualTo(a.evidence()).doesNotContain("from the cache");
        assertThat(pythonStarts()).isEqualTo(2);
    }

    @Test
    void aBrokenCacheFileIsIgnoredAndRewritten() throws Exception {
        Path file = h.home.root().resolve("cache/import-checks.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"truncated\": [");
        CheckResult first = check();
        CheckResult second = check();

        assertThat(first.status()).isEqualTo(CheckResult.Status.PASS);
        assertThat(second.evidence()).contains("from the cache");
        assertThat(pythonStarts()).isEqualTo(1);
    }

    @Test
    void theDriftCheckListsPackagesAgainOnlyWhenAnInstallChangedWherePythonLooks() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        h.tools(h.tools.with(Map.of("PYTHONPATH", site.toString())));
        EnvLock.lock(h.workdir.resolve("warden.lock"), python.toString(), h.workdir.resolve("none.yaml")); // `warden env lock`
        Map<String, Object> args = Map.of("lock", "warden.lock", "python", python.toString());

        CheckResult first = h.run("drift", args);
        CheckResult second = h.run("drift", args);
        Path dist = Files.createDirectories(site.resolve("fakepkg-1.0.dist-info"));
        Files.writeString(dist.resolve("METADATA"), "Metadata-Version: 2.1\nName: fakepkg\nVersion: 1.0\n");
        CheckResult installed = h.run("drift", args);

        assertThat(first.evidence()).startsWith("stack matches warden.lock").doesNotContain("cache");
        assertThat(second.evidence()).startsWith(first.evidence().substring(0, first.evidence().length() - 1))
                .contains("; the package list from the cache: nothing Python looks at has changed since ");
        assertThat(installed.evidence()).isEqualTo("added: fakepkg 1.0");
        assertThat(pythonStarts()).isEqualTo(3); // the lock, the first check, the check after the install
    }

    @Test
    void aDeletedLoadedFileMeansImportAgain() throws Exception {
        Files.writeString(h.workdir.resolve("mylib/extra.py"), "X = 1\n");
        Files.writeString(h.workdir.resolve("mylib/__init__.py"), "from . import extra\n");
        check();
        Files.delete(h.workdir.resolve("mylib/extra.py"));
        CheckResult gone = check();

        assertThat(gone.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(pythonStarts()).isEqualTo(2);
    }
}
