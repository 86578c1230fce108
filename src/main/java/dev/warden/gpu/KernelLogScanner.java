package dev.warden.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds GPU errors in kernel log lines: NVIDIA Xid lines ("NVRM: Xid (PCI:0000:cb:00): 13, ..."), the
 * driver's "fallen off the bus" message (newer drivers print it over several lines without an Xid),
 * AMD SMU messages answered with 0xFFFFFFFF, and amdgpu's "device lost from bus".
 */
public final class KernelLogScanner {
    private static final Pattern XID = Pattern.compile("NVRM: Xid \\(PCI:([0-9A-Fa-f:.]+)\\): (\\d+)");
    private static final Pattern NV_GPU = Pattern.compile(
            "(?:NVIDIA GPU|NVRM: GPU) (?:at PCI:)?([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}(?:\\.[0-9A-Fa-f])?)");
    private static final Pattern AMD_DEV = Pattern.compile("amdgpu ([0-9A-Fa-f]{4}:[0-9A-Fa-f:.]+):");
    private static final Pattern SMU_FFFF = Pattern.compile("SMU: response:0x[Ff]{8}");

    private KernelLogScanner() {}

    public static List<GpuErrorEvent> scan(List<String> lines) {
        Map<String, GpuErrorEvent> found = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!mayMatter(line)) {
                continue;
            }
            Matcher xid = XID.matcher(line);
            if (xid.find()) {
                int code = Integer.parseInt(xid.group(2));
                add(found, GpuErrorEvent.Kind.NVIDIA_XID, code, xid.group(1), XidCatalog.action(code), line);
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.contains("fallen off the bus")) {
                add(found, GpuErrorEvent.Kind.NVIDIA_FELL_OFF_BUS, null, nvidiaGpuNear(lines, i),
                        GpuAction.REBOOT, line);
                continue;
            }
            Matcher amd = AMD_DEV.matcher(line);
            String pci = amd.find() ? amd.group(1) : null;
            if (SMU_FFFF.matcher(line).find()) {
                add(found, GpuErrorEvent.Kind.AMD_SMU_NO_RESPONSE, null, pci, GpuAction.REBOOT, line);
            } else if (lower.contains("amdgpu") && lower.contains("device lost from bus")) {
                add(found, GpuErrorEvent.Kind.AMD_LOST_FROM_BUS, null, pci, GpuAction.REBOOT, line);
            }
        }
        List<GpuErrorEvent> out = new ArrayList<>(found.values());
        // "GPU has fallen off the bus" follows an Xid 79 line on older drivers: one incident, not two
        if (out.stream().anyMatch(e -> e.xid() != null && e.xid() == 79)) {
            out.removeIf(e -> e.kind() == GpuErrorEvent.Kind.NVIDIA_FELL_OFF_BUS);
        }
        return out;
    }

    /**
     * Every line the patterns below can match holds one of these (NVIDIA's driver prefixes all it prints with NVRM,
     * AMD's with amdgpu); the rest of a boot's thousands of kernel lines are passed over without a regex or a
     * lower-casing (2617 lines in a cold JVM: 4.5 -> 1.3 ms).
     */
    private static boolean mayMatter(String line) {
        return line.contains("NVRM") || line.contains("amdgpu") || line.contains("AMDGPU") || line.contains("SMU")
                || line.contains("allen off");
    }

    /** The multi-line form names the GPU two lines above: "NVRM: The NVIDIA GPU 0000:b3:00.0". */
    private static String nvidiaGpuNear(List<String> lines, int at) {
        for (int i = at; i >= Math.max(0, at - 3); i--) {
            Matcher m = NV_GPU.matcher(lines.get(i));
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static void add(Map<String, GpuErrorEvent> found, GpuErrorEvent.Kind kind, Integer xid, String pci,
                            GpuAction action, String line) {
        String key = kind + "|" + xid + "|" + pci;
        GpuErrorEvent prev = found.get(key);
        found.put(key, prev == null
                ? new GpuErrorEvent(kind, xid, pci, action, 1, line.strip())
                : new GpuErrorEvent(kind, xid, pci, action, prev.count() + 1, prev.firstLine()));
    }

    /** The most urgent action among the events: REBOOT over RESET_GPU over RESTART_APP over UNKNOWN over INFO. */
    public static GpuAction worst(List<GpuErrorEvent> events) {
        GpuAction worst = null;
        for (GpuErrorEvent e : events) {
            if (worst == null || rank(e.action()) > rank(worst)) {
                worst = e.action();
            }
        }
        return worst;
    }

    static int rank(GpuAction a) {
        return switch (a) {
            case INFO -> 0;
            case UNKNOWN -> 1;
            case RESTART_APP -> 2;
            case RESET_GPU -> 3;
            case REBOOT -> 4;
        };
    }
}
