package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.spec.SpecLoader;
import dev.warden.store.AtomicFiles;
import dev.warden.store.WardenHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the bundled example trainer under supervision (about 15 seconds).",
                "The trainer is standard-library Python and runs in a fresh directory under WARDEN_HOME/demo.",
                "It crashes once with a CUDA out-of-memory error (Warden retries with half the batch), hangs once",
                "(Warden stops it and resumes from the last checkpoint), then finishes."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-q", "--quiet"}, description = "show only Warden's own lines, not the trainer's output")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (!onPath("python3")) {
            throw new UserError("the demo needs python3 on PATH (any Python 3, standard library only); install it and run `warden demo` again", 69);
        }
        WardenHome home = WardenHome.fromEnvironment().ensureWritable();
        Path dir = home.root().resolve("demo").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        Files.createDirectories(dir);
        for (String name : new String[] {"train.py", "warden.yaml"}) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/warden/demo/" + name)) {
                if (in == null) {
                    throw new UserError("the demo files are missing from this build; rebuild with `mvn -DskipTests package`", 70);
                }
                AtomicFiles.write(dir.resolve(name), in.readAllBytes());
            }
        }
        System.err.println("warden ▸ demo in " + dir + " (the spec is " + dir.resolve("warden.yaml") + ")");
        return RunLauncher.supervise(() -> SpecLoader.load(dir.resolve("warden.yaml")), quiet, java.util.Set.of());
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
