package dev.warden.gpu;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.UserError;
import dev.warden.store.AtomicFiles;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * GPUs kept out of every later run, in WARDEN_HOME/gpu-exclusions.json. The supervisor asks
 * {@link #visibleDevicesEnv} for the *_VISIBLE_DEVICES variables of each attempt.
 */
public final class GpuExclusions {
    static final String FILE = "gpu-exclusions.json";
    /** Made on first use: a node without an exclusions file never needs it. */
    private static final class Databind {
        static final ObjectMapper JSON = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * @param uuid  the GPU's UUID when it was known at exclusion time, so a renumbered GPU stays out
     * @param since ISO-8601 instant
     */
    public record Exclusion(int gpu, String uuid, String reason, String since) {}

    record FileFormat(int version, List<Exclusion> excluded) {}

    private final Path file;
    private final List<Exclusion> excluded;

    private GpuExclusions(Path file, List<Exclusion> excluded) {
        this.file = file;
        this.excluded = List.copyOf(excluded);
    }

    public static GpuExclusions load(WardenHome home) {
        Path file = home.root().resolve(FILE);
        return new GpuExclusions(file, read(file));
    }

    private static List<Exclusion> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            FileFormat f = Databind.JSON.readValue(file.toFile(), FileFormat.class);
            return f.excluded() == null ? List.of() : f.excluded();
        } catch (IOException e) {
            throw new UserError(file + " is not a valid exclusion list (" + e.getClass().getSimpleName()
                    + "); fix it by hand, or move it away to clear every exclusion", UserError.CONFIG);
        }
    }

    public List<Exclusion> list() {
        return excluded;
    }

    public boolean isExcluded(int index, String uuid) {
        return find(index, uuid).isPresent();
    }

    /** The exclusion of this GPU: by UUID when both sides know it (indices can change), else by index. */
    public Optional<Exclusion> find(int index, String uuid) {
        for (Exclusion e : excluded) {
            boolean match = e.uuid() != null && uuid != null ? e.uuid().equalsIgnoreCase(uuid) : e.gpu() == index;
            if (match) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Adds or replaces the exclusion of GPU {@code gpu} and writes the file. */
    public GpuExclusions exclude(int gpu, String uuid, String reason, Instant now) {
        return update(list -> {
            list.removeIf(e -> e.gpu() == gpu);
            list.add(new Exclusion(gpu, uuid, reason, now.toString()));
            list.sort(Comparator.comparingInt(Exclusion::gpu));
            return list;
        });
    }

    /** Removes the exclusion of GPU {@code gpu}, if any, and writes the file. */
    public GpuExclusions include(int gpu) {
        return update(list -> {
            list.removeIf(e -> e.gpu() == gpu);
            return list;
        });
    }

    /** Read-modify-write under a file lock, so two `warden gpu` commands at once lose nothing. */
    private GpuExclusions update(UnaryOperator<List<Exclusion>> change) {
        Path lock = file.resolveSibling("." + FILE + ".lock");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock held = ch.lock();
                try {
                    List<Exclusion> now = change.apply(new ArrayList<>(read(file)));
                    AtomicFiles.write(file, Databind.JSON.writeValueAsBytes(new FileFormat(1, now)));
                    return new GpuExclusions(file, now);
                } finally {
                    held.release();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }

    /** How many of these GPUs are not excluded. */
    public int remaining(List<GpuInfo> gpus) {
        return (int) gpus.stream().filter(g -> !isExcluded(g.index(), g.uuid())).count();
    }

    /**
     * The variables the job must get so that excluded GPUs are invisible to it. Empty when nothing
     * is excluded (the job's environment is left as it is). Honours a restriction the job already
     * has (CUDA_VISIBLE_DEVICES=2,3 keeps only those, minus exclusions).
     * <ul>
     * <li>NVIDIA: CUDA_VISIBLE_DEVICES with nvidia-smi's indices, and CUDA_DEVICE_ORDER=PCI_BUS_ID,
     * because CUDA's default order (fastest first) need not match nvidia-smi's numbering.</li>
     * <li>AMD: ROCR_VISIBLE_DEVICES with the physical indices; HIP_VISIBLE_DEVICES and
     * CUDA_VISIBLE_DEVICES (which HIP also reads) apply on top of ROCR's selection, so they are set to
     * all of what remains (0..n-1) rather than left to a stale value.</li>
     * </ul>
     */
    public Map<String, String> visibleDevicesEnv(GpuVendor vendor, List<GpuInfo> gpus, Map<String, String> jobEnv) {
        if (excluded.isEmpty() || vendor == null) {
            return Map.of();
        }
        List<String> wanted = userSelection(vendor, gpus, jobEnv);
        List<String> keep = new ArrayList<>();
        for (String token : wanted) {
            GpuInfo g = find(gpus, token);
            int index = g != null ? g.index() : parseIndex(token);
            String uuid = g != null ? g.uuid() : (token.startsWith("GPU-") ? token : null);
            if (!isExcluded(index, uuid)) {
                keep.add(g != null ? String.valueOf(g.index()) : token);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        String joined = String.join(",", keep);
        if (vendor == GpuVendor.NVIDIA) {
            env.put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
            env.put("CUDA_VISIBLE_DEVICES", joined);
        } else {
            String all = IntStream.range(0, keep.size()).mapToObj(String::valueOf).collect(Collectors.joining(","));
            env.put("ROCR_VISIBLE_DEVICES", joined);
            env.put("HIP_VISIBLE_DEVICES", all);
            env.put("CUDA_VISIBLE_DEVICES", all);
        }
        return env;
    }

    public Map<String, String> visibleDevicesEnv(GpuProbeResult.Found found, Map<String, String> jobEnv) {
        return visibleDevicesEnv(found.vendor(), found.gpus(), jobEnv);
    }

    private static List<String> userSelection(GpuVendor vendor, List<GpuInfo> gpus, Map<String, String> jobEnv) {
        List<String> vars = vendor == GpuVendor.NVIDIA
                ? List.of("CUDA_VISIBLE_DEVICES")
                : List.of("ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES");
        for (String v : vars) {
            String value = jobEnv.get(v);
            if (value != null && !value.isBlank()) {
                List<String> out = new ArrayList<>();
                for (String t : value.split(",")) {
                    if (!t.isBlank()) {
                        out.add(t.strip());
                    }
                }
                return out;
            }
        }
        return gpus.stream().map(g -> String.valueOf(g.index())).toList();
    }

    private static GpuInfo find(List<GpuInfo> gpus, String token) {
        for (GpuInfo g : gpus) {
            if (token.equals(String.valueOf(g.index()))
                    || (g.uuid() != null && token.length() > 4 && g.uuid().startsWith(token))) {
                return g;
            }
        }
        return null;
    }

    private static int parseIndex(String token) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
