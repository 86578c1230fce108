package dev.warden.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rocm-smi ... --json. Key names vary between ROCm releases ("Card series" vs "Card Series", "GPU ID"
 * vs "Device ID"), so each value is looked up under every name it has had. A card whose SMU stopped
 * answering reports all-ones placeholders (0xFFFF, 0xFFFFFFFF) or impossible temperatures: those read
 * as unknown, and a card with nothing readable is reported as not responding.
 */
public final class RocmSmi {
    public static final String TOOL = "rocm-smi";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CARD = Pattern.compile("card(\\d+)");
    private static final Pattern PID_KEY = Pattern.compile("PID\\s*(\\d+)");

    private RocmSmi() {}

    public static GpuProbeResult probe(ToolRunner tools, Duration timeout) {
        ToolResult r = tools.run(List.of(TOOL, "--showproductname", "--showid", "--showuniqueid", "--showbus",
                "--showtemp", "--showmeminfo", "vram", "--showuse", "--showdriverversion", "--json"), timeout, null);
        if (r.notFound()) {
            return new GpuProbeResult.NoTool(List.of(TOOL));
        }
        if (r.timedOut()) {
            return new GpuProbeResult.ToolFailed(TOOL, -1, true,
                    "rocm-smi did not answer within " + timeout.toSeconds() + "s (a hung GPU or driver)", r.lastLine());
        }
        JsonNode root = json(r.stdout());
        if (root == null) {
            // rocm-smi exits 0 and prints "Driver not initialized (amdgpu not found in modules)" when amdgpu is not loaded
            String last = r.lastLine();
            String meaning = last.contains("not initialized") || last.contains("amdgpu not found")
                    ? "the amdgpu driver is not loaded"
                    : "rocm-smi gave no JSON (exit " + r.exitCode() + "): " + last;
            return new GpuProbeResult.ToolFailed(TOOL, r.exitCode(), false, meaning, last);
        }
        return parse(root);
    }

    static JsonNode json(String stdout) {
        int start = stdout.indexOf('{');
        if (start < 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(stdout.substring(start));
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    static GpuProbeResult.Found parse(JsonNode root) {
        Map<Integer, JsonNode> cards = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            Matcher m = CARD.matcher(e.getKey());
            if (m.matches()) {
                cards.put(Integer.parseInt(m.group(1)), e.getValue());
            }
        }
        List<GpuInfo> gpus = new ArrayList<>();
        cards.forEach((index, card) -> gpus.add(card(index, card)));
        String driver = text(root.path("system"), "Driver version");
        return new GpuProbeResult.Found(GpuVendor.AMD, driver, gpus);
    }

    private static GpuInfo card(int index, JsonNode card) {
        List<String> unknown = new ArrayList<>();
        String tempRaw = first(card, "Temperature (Sensor junction) (C)", "Temperature (Sensor edge) (C)",
                "Temperature (Sensor memory) (C)");
        Integer temp = SmiValues.temperature(tempRaw);
        if (temp == null) {
            unknown.add("temperature");
        }
        Long totalB = SmiValues.whole(first(card, "VRAM Total Memory (B)"));
        Long usedB = SmiValues.whole(first(card, "VRAM Total Used Memory (B)"));
        if (totalB == null) {
            unknown.add("vram total");
        }
        if (usedB == null) {
            unknown.add("vram used");
        }
        Long total = totalB == null ? null : totalB >> 20;
        Long used = usedB == null ? null : usedB >> 20;
        Long free = total != null && used != null ? total - used : null;
        String use = first(card, "GPU use (%)");
        boolean anyReadable = temp != null || totalB != null || usedB != null || SmiValues.number(use) != null;
        boolean anyPresent = tempRaw != null || first(card, "VRAM Total Memory (B)") != null || use != null;
        String fault = anyPresent && !anyReadable ? "not responding (rocm-smi gave only placeholder values)" : null;
        return new GpuInfo(index, GpuVendor.AMD,
                text(card, "Card series", "Card Series", "Device Name", "Card model", "Card Model"),
                text(card, "Unique ID"),
                text(card, "PCI Bus"),
                total, used, free, temp,
                null, null, null, null, null,
                Set.of(), fault, unknown);
    }

    private static String first(JsonNode card, String... keys) {
        for (String k : keys) {
            JsonNode v = card.get(k);
            if (v != null && !v.isNull()) {
                return v.asText();
            }
        }
        return null;
    }

    private static String text(JsonNode card, String... keys) {
        String v = first(card, keys);
        return SmiValues.unknown(v) ? null : v.strip();
    }

    public static ToolResult pids(ToolRunner tools, Duration timeout) {
        return tools.run(List.of(TOOL, "--showpids", "--json"), timeout, null);
    }

    /**
     * rocm-smi --showpids --json prints {"system": {"PID1234": "name, gpus, vram_bytes, sdma, cu"}}:
     * one flat string per process; "gpus" is how many GPUs the process uses.
     */
    static List<GpuProcess> parsePids(String stdout) {
        JsonNode root = json(stdout);
        List<GpuProcess> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        for (Map.Entry<String, JsonNode> e : root.path("system").properties()) {
            Matcher m = PID_KEY.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            String[] c = e.getValue().asText().split(",");
            String name = c.length > 0 ? c[0].strip() : "";
            String gpus = c.length > 1 ? c[1].strip() : "?";
            Long vram = c.length > 2 ? SmiValues.whole(c[2]) : null;
            out.add(new GpuProcess(Long.parseLong(m.group(1)), "count:" + gpus, vram == null ? null : vram >> 20, name));
        }
        return out;
    }
}
