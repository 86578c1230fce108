package dev.warden.gpu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nvidia-smi --query-gpu=... --format=csv,noheader,nounits. Drivers differ in the fields they know:
 * newer ones call clocks_event_reasons.* what older ones call clocks_throttle_reasons.*, and a field a
 * driver does not know fails the whole query ("Field "x" is not a valid field to query.", exit 2). So
 * the probe asks, and on such an answer switches to the old name or drops the field (it then reads as
 * unknown) and asks again.
 */
public final class NvidiaSmi {
    public static final String TOOL = "nvidia-smi";
    static final String EVENT = "clocks_event_reasons.";
    static final String THROTTLE = "clocks_throttle_reasons.";
    static final List<String> SLOWDOWNS = List.of(
            "hw_slowdown", "hw_thermal_slowdown", "sw_thermal_slowdown", "hw_power_brake_slowdown");
    static final List<String> FIELDS;

    static {
        List<String> f = new ArrayList<>(List.of("index", "uuid", "name", "pci.bus_id", "driver_version",
                "memory.total", "memory.used", "memory.free", "temperature.gpu",
                "ecc.errors.uncorrected.volatile.total", "retired_pages.pending",
                "remapped_rows.pending", "remapped_rows.failure", "mig.mode.current"));
        SLOWDOWNS.forEach(s -> f.add(EVENT + s));
        FIELDS = List.copyOf(f);
    }

    private static final Pattern INVALID_FIELD =
            Pattern.compile("Field [\"\u201c\u201d]([^\"\u201c\u201d]+)[\"\u201c\u201d] is not a valid field to query");

    private NvidiaSmi() {}

    /**
     * What nvidia-smi's exit codes mean (nvidia-smi(1), RETURN VALUE). Null for codes without a
     * documented meaning.
     */
    public static String exitMeaning(int code) {
        return switch (code) {
            case 2 -> "a supplied argument or flag is invalid";
            case 3 -> "the requested operation is not available on the target device";
            case 4 -> "no permission to access this device";
            case 6 -> "no NVIDIA GPU was found";
            case 8 -> "a GPU's external power cables are not properly attached";
            case 9 -> "the NVIDIA driver is not loaded";
            case 10 -> "the NVIDIA kernel module detected an interrupt issue with a GPU";
            case 12 -> "the NVML shared library could not be found or loaded";
            case 13 -> "the installed NVML does not implement this function (driver/library mismatch)";
            case 14 -> "a GPU's infoROM is corrupted";
            case 15 -> "a GPU has fallen off the bus or has otherwise become inaccessible";
            case 255 -> "an internal driver error occurred";
            default -> null;
        };
    }

    /** What to do about a failing exit code; one line. */
    public static String exitFix(int code) {
        return switch (code) {
            case 9, 12, 13 -> "install or reload the NVIDIA driver so it matches its libraries "
                    + "(check `lsmod | grep nvidia` and `dmesg`), or reboot the node";
            case 14 -> "the GPU needs service: exclude it with `warden gpu exclude N` and report it to the provider";
            case 15 -> "reboot the node; if it happens again, exclude the GPU (`warden gpu exclude N`) or replace the node";
            case 8 -> "reseat the GPU's power cables";
            case 4 -> "run as a user that may access /dev/nvidia*";
            case 6 -> "this node has no working NVIDIA GPU: check the instance type and `lspci | grep -i nvidia`";
            default -> "run `nvidia-smi` by hand and check `dmesg` for Xid errors";
        };
    }

    public static GpuProbeResult probe(ToolRunner tools, Duration timeout) {
        List<String> fields = new ArrayList<>(FIELDS);
        for (int attempt = 0; attempt < 8; attempt++) {
            ToolResult r = tools.run(List.of(TOOL, "--query-gpu=" + String.join(",", fields),
                    "--format=csv,noheader,nounits"), timeout, null);
            if (r.notFound()) {
                return new GpuProbeResult.NoTool(List.of(TOOL));
            }
            if (r.timedOut()) {
                return new GpuProbeResult.ToolFailed(TOOL, -1, true,
                        "nvidia-smi did not answer within " + timeout.toSeconds() + "s (a hung GPU or driver)", r.lastLine());
            }
            if (r.exitCode() == 0) {
                return parse(r.stdout(), fields);
            }
            Matcher m = INVALID_FIELD.matcher(r.output());
            if (m.find() && fields.contains(m.group(1))) {
                String bad = m.group(1);
                if (bad.startsWith(EVENT)) {
                    fields.replaceAll(f -> f.startsWith(EVENT) ? THROTTLE + f.substring(EVENT.length()) : f);
                } else {
                    fields.remove(bad);
                }
                continue;
            }
            String meaning = exitMeaning(r.exitCode());
            return new GpuProbeResult.ToolFailed(TOOL, r.exitCode(), false,
                    meaning != null ? meaning : "nvidia-smi failed: " + r.lastLine(), r.lastLine());
        }
        return new GpuProbeResult.ToolFailed(TOOL, 2, false, "nvidia-smi rejected every field set", "");
    }

    /** Parses noheader,nounits CSV whose columns are {@code fields} in order. */
    static GpuProbeResult parse(String csv, List<String> fields) {
        List<GpuInfo> gpus = new ArrayList<>();
        String driver = null;
        for (String line : csv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != fields.size()) {
                return new GpuProbeResult.ToolFailed(TOOL, 0, false,
                        "nvidia-smi printed " + cells.length + " columns for " + fields.size() + " fields", line.strip());
            }
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < cells.length; i++) {
                String f = fields.get(i);
                row.put(f.startsWith(THROTTLE) ? EVENT + f.substring(THROTTLE.length()) : f, cells[i].strip());
            }
            if (driver == null && !SmiValues.unknown(row.get("driver_version"))) {
                driver = row.get("driver_version").split(" ")[0];
            }
            gpus.add(gpu(row, gpus.size()));
        }
        return new GpuProbeResult.Found(GpuVendor.NVIDIA, driver, gpus);
    }

    private static GpuInfo gpu(Map<String, String> row, int position) {
        List<String> unknown = new ArrayList<>();
        String fault = null;
        for (Map.Entry<String, String> e : row.entrySet()) {
            if (fault == null) {
                fault = SmiValues.fault(e.getValue());
            }
        }
        Long index = SmiValues.whole(row.get("index"));
        Set<String> slow = new LinkedHashSet<>();
        for (String s : SLOWDOWNS) {
            String v = row.get(EVENT + s);
            if (Boolean.TRUE.equals(SmiValues.flag(v))) {
                slow.add(s);
            }
        }
        return new GpuInfo(
                index == null ? position : index.intValue(),
                GpuVendor.NVIDIA,
                text(row.get("name")),
                text(row.get("uuid")),
                text(row.get("pci.bus_id")),
                track(row, "memory.total", SmiValues.whole(row.get("memory.total")), unknown),
                track(row, "memory.used", SmiValues.whole(row.get("memory.used")), unknown),
                track(row, "memory.free", SmiValues.whole(row.get("memory.free")), unknown),
                track(row, "temperature.gpu", SmiValues.temperature(row.get("temperature.gpu")), unknown),
                track(row, "ecc.errors.uncorrected.volatile.total",
                        SmiValues.whole(row.get("ecc.errors.uncorrected.volatile.total")), unknown),
                SmiValues.flag(row.get("retired_pages.pending")),
                SmiValues.flag(row.get("remapped_rows.pending")),
                SmiValues.flag(row.get("remapped_rows.failure")),
                SmiValues.flag(row.get("mig.mode.current")),
                slow,
                fault,
                unknown);
    }

    private static <T> T track(Map<String, String> row, String field, T value, List<String> unknown) {
        if (value == null) {
            unknown.add(field);
        }
        return value;
    }

    private static String text(String v) {
        return SmiValues.unknown(v) ? null : v;
    }

    /** Compute processes: pid, used GPU memory (MiB), GPU uuid, process name. */
    public static ToolResult computeApps(ToolRunner tools, Duration timeout) {
        return tools.run(List.of(TOOL, "--query-compute-apps=pid,used_memory,gpu_uuid,process_name",
                "--format=csv,noheader,nounits"), timeout, null);
    }

    static List<GpuProcess> parseComputeApps(String csv) {
        List<GpuProcess> out = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] c = line.split(",", 4);
            if (c.length < 3) {
                continue;
            }
            Long pid = SmiValues.whole(c[0]);
            if (pid == null) {
                continue;
            }
            out.add(new GpuProcess(pid, c[2].strip(), SmiValues.whole(c[1]), c.length > 3 ? c[3].strip() : ""));
        }
        return out;
    }
}
