package dev.warden.check;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The check kinds a `checks:` entry may name. Another feature adds its own kind in one line:
 * {@code CheckRegistry.builtIn().with("dataset", Duration.ofMinutes(2), DatasetCheck::create)}.
 */
public final class CheckRegistry {

    /** Builds a check from its entry; throws {@link dev.warden.UserError} (via {@link CheckArgs#error}) for a bad entry. */
    @FunctionalInterface
    public interface Factory {
        Check create(CheckArgs args);
    }

    public record Kind(String name, Duration defaultTimeout, Factory factory) {}

    private final Map<String, Kind> kinds;

    private CheckRegistry(Map<String, Kind> kinds) {
        this.kinds = Collections.unmodifiableMap(kinds);
    }

    public static CheckRegistry builtIn() {
        return new CheckRegistry(new LinkedHashMap<>())
                .with("disk", Duration.ofSeconds(10), DiskCheck::create)
                .with("memory", Duration.ofSeconds(5), MemoryCheck::create)
                .with("gpu", Duration.ofSeconds(20), GpuCheck::create)
                .with("gpu_errors", Duration.ofSeconds(10), GpuErrorsCheck::create)
                .with("driver", Duration.ofSeconds(20), DriverCheck::create)
                .with("files", Duration.ofSeconds(30), FilesCheck::create)
                .with("import", Duration.ofMinutes(2), ImportCheck::create)
                .with("command", Duration.ofMinutes(10), CommandCheck::create)
                .with("tcp", Duration.ofSeconds(10), TcpCheck::create)
                .with("ssh", Duration.ofSeconds(20), SshCheck::create)
                .with("env", Duration.ofSeconds(5), EnvVarsCheck::create)
                .with("url", Duration.ofSeconds(20), UrlCheck::create)
                .with("drift", Duration.ofMinutes(2), DriftCheck::create)
                .with("budget", Duration.ofSeconds(5), BudgetCheck::create)
                .with("data", Duration.ofMinutes(5), DataFileCheck::create)
                .with("checkpoint_disk", Duration.ofSeconds(10), CheckpointDiskCheck::create);
    }

    /** A registry with one more kind (or a kind replaced). */
    public CheckRegistry with(String kind, Duration defaultTimeout, Factory factory) {
        Map<String, Kind> m = new LinkedHashMap<>(kinds);
        m.put(kind, new Kind(kind, defaultTimeout, factory));
        return new CheckRegistry(m);
    }

    public Set<String> kinds() {
        return kinds.keySet();
    }

    public boolean has(String kind) {
        return kinds.containsKey(kind);
    }

    /** Builds the check an entry describes, with its timeout and warn_only applied. */
    public CheckItem create(CheckArgs args, String id) {
        Kind k = kinds.get(args.kind());
        Check check = k.factory().create(args);
        Duration timeout = args.timeout(k.defaultTimeout());
        if (args.warnOnly()) {
            Check strict = check;
            check = ctx -> {
                CheckResult r = strict.run(ctx);
                return r instanceof CheckResult.Fail f
                        ? CheckResult.warn(f.evidence() + " (warn_only)", f.fix()) : r;
            };
        }
        return new CheckItem(id, args.kind(), timeout, check);
    }
}
