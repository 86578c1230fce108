package dev.warden.gpu;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns real nvidia-smi captures (src/test/resources/gpu/captures, see sources.jsonl there) into the
 * table a fake `nvidia-smi --query-gpu=FIELDS --format=csv,noheader,nounits` answers from: one row per
 * GPU, field name -> value as the real tool prints it without units. A full --query-gpu CSV capture
 * is used as it is; -q -x (XML) and -q (text) captures are mapped field by field to the --query-gpu
 * names Warden asks for (the same data, the other output format). Fields the capture's driver does
 * not have are absent, so the fake rejects them like the real tool.
 */
public final class Captures {
    private Captures() {}

    public static String resource(String name) {
        try (InputStream in = Captures.class.getResourceAsStream("/gpu/captures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A capture of `--query-gpu=... --format=csv` (header with units) or of `--query-compute-apps`. */
    public static List<Map<String, String>> fromCsv(String text) {
        String[] lines = text.split("\n");
        String[] header = lines[0].split(",");
        List<String> names = new ArrayList<>();
        List<String> units = new ArrayList<>();
        for (String h : header) {
            String t = h.strip();
            int b = t.indexOf(" [");
            names.add(b < 0 ? t : t.substring(0, b));
            units.add(b < 0 ? null : t.substring(b + 2, t.length() - 1));
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cells = lines[i].split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                String v = cells[c].strip();
                String unit = units.get(c);
                if (unit != null && v.endsWith(" " + unit)) {
                    v = v.substring(0, v.length() - unit.length() - 1);
                }
                row.put(names.get(c), v);
            }
            aliases(row);
            rows.add(row);
        }
        return rows;
    }

    /** nvidia-smi accepts several names for some fields (e.g. used_memory / used_gpu_memory). */
    private static void aliases(Map<String, String> row) {
        String[][] pairs = {{"used_gpu_memory", "used_memory"}, {"gpu_uuid", "uuid"}, {"gpu_name", "name"},
                {"gpu_bus_id", "pci.bus_id"}, {"gpu_serial", "serial"}};
        for (String[] p : pairs) {
            if (row.containsKey(p[0]) && !row.containsKey(p[1])) {
                row.put(p[1], row.get(p[0]));
            } else if (row.containsKey(p[1]) && !row.containsKey(p[0])) {
                row.put(p[0], row.get(p[1]));
            }
        }
    }

    /** A capture of `nvidia-smi -q -x`. */
    public static List<Map<String, String>> fromXml(String xml) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            doc = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        Element root = doc.getDocumentElement();
        String driver = text(root, "driver_version");
        List<Map<String, String>> rows = new ArrayList<>();
        NodeList gpus = root.getElementsByTagName("gpu");
        for (int i = 0; i < gpus.getLength(); i++) {
            Element g = (Element) gpus.item(i);
            Map<String, String> row = new LinkedHashMap<>();
            row.put("index", String.valueOf(i));
            row.put("uuid", csv(text(g, "uuid")));
            row.put("name", csv(text(g, "product_name")));
            row.put("pci.bus_id", g.getAttribute("id"));
            row.put("driver_version", csv(driver));
            row.put("memory.total", csv(text(g, "fb_memory_usage/total")));
            row.put("memory.used", csv(text(g, "fb_memory_usage/used")));
            row.put("memory.free", csv(text(g, "fb_memory_usage/free")));
            row.put("temperature.gpu", csv(text(g, "temperature/gpu_temp")));
            row.put("ecc.errors.uncorrected.volatile.total", sumUncorrectable(child(g, "ecc_errors/volatile")));
            row.put("retired_pages.pending", csv(text(g, "retired_pages/pending_retirement")));
            Element remap = child(g, "remapped_rows");
            boolean remapKnown = remap != null && child(remap, "remapped_row_pending") != null;
            row.put("remapped_rows.pending", remapKnown ? csv(text(remap, "remapped_row_pending")) : "[N/A]");
            row.put("remapped_rows.failure", remapKnown ? csv(text(remap, "remapped_row_failure")) : "[N/A]");
            row.put("mig.mode.current", csv(text(g, "mig_mode/current_mig")));
            for (String family : List.of("clocks_event_reasons", "clocks_throttle_reasons")) {
                Element reasons = child(g, family);
                if (reasons == null) {
                    continue;
                }
                String prefix = family.replace("reasons", "reason") + "_";
                for (String r : List.of("hw_slowdown", "hw_thermal_slowdown", "sw_thermal_slowdown", "hw_power_brake_slowdown")) {
                    row.put(family + "." + r, csv(text(reasons, prefix + r)));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** A capture of `nvidia-smi -q` (indented "Key : Value" text); one GPU section per "GPU xxxx:..." line. */
    public static List<Map<String, String>> fromText(String text) {
        String driver = null;
        List<Map<String, String>> gpus = new ArrayList<>();
        Map<String, String> paths = null;
        List<String> stack = new ArrayList<>();
        List<Integer> indents = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("=")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            String body = line.strip();
            int colon = body.indexOf(" : ");
            String key = (colon < 0 ? body : body.substring(0, colon)).strip();
            String value = colon < 0 ? null : body.substring(colon + 3).strip();
            if (indent == 0) {
                if (key.equals("Driver Version")) {
                    driver = value.split(" ")[0];
                } else if (key.startsWith("GPU ")) {
                    paths = new LinkedHashMap<>();
                    paths.put("__bus", key.substring(4));
                    gpus.add(paths);
                    stack.clear();
                    indents.clear();
                }
                continue;
            }
            if (paths == null) {
                continue;
            }
            while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
                indents.remove(indents.size() - 1);
                stack.remove(stack.size() - 1);
            }
            stack.add(key);
            indents.add(indent);
            if (value != null) {
                paths.putIfAbsent(String.join("/", stack), value);
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            Map<String, String> p = gpus.get(i);
            Map<String, String> row = new LinkedHashMap<>();
            row.put("index", String.valueOf(i));
            row.put("uuid", csv(p.get("GPU UUID")));
            row.put("name", csv(p.get("Product Name")));
            row.put("pci.bus_id", csv(p.get("PCI/Bus Id")));
            row.put("driver_version", csv(driver));
            row.put("memory.total", csv(p.get("FB Memory Usage/Total")));
            row.put("memory.used", csv(p.get("FB Memory Usage/Used")));
            row.put("memory.free", csv(p.get("FB Memory Usage/Free")));
            row.put("temperature.gpu", csv(p.get("Temperature/GPU Current Temp")));
            long sum = 0;
            boolean any = false;
            for (Map.Entry<String, String> e : p.entrySet()) {
                if (e.getKey().startsWith("ECC Errors/Volatile/") && e.getKey().contains("Uncorrectable")
                        && e.getValue().matches("\\d+")) {
                    sum += Long.parseLong(e.getValue());
                    any = true;
                }
            }
            row.put("ecc.errors.uncorrected.volatile.total", any ? String.valueOf(sum) : "[N/A]");
            row.put("retired_pages.pending", csv(p.get("Retired Pages/Pending Page Blacklist")));
            row.put("remapped_rows.pending", csv(p.getOrDefault("Remapped Rows/Pending", "N/A")));
            row.put("remapped_rows.failure", csv(p.getOrDefault("Remapped Rows/Remapping Failure Occurred", "N/A")));
            row.put("mig.mode.current", csv(p.get("MIG Mode/Current")));
            for (String[] family : new String[][]{{"Clocks Event Reasons", "clocks_event_reasons"},
                    {"Clocks Throttle Reasons", "clocks_throttle_reasons"}}) {
                if (p.keySet().stream().noneMatch(k -> k.startsWith(family[0] + "/"))) {
                    continue;
                }
                String[][] leaves = {{"HW Slowdown", "hw_slowdown"}, {"HW Thermal Slowdown", "hw_thermal_slowdown"},
                        {"SW Thermal Slowdown", "sw_thermal_slowdown"}, {"HW Power Brake Slowdown", "hw_power_brake_slowdown"}};
                for (String[] leaf : leaves) {
                    String v = p.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(family[0] + "/") && e.getKey().endsWith("/" + leaf[0]))
                            .map(Map.Entry::getValue).findFirst().orElse("N/A");
                    row.put(family[1] + "." + leaf[1], csv(v));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** The value as --format=csv,nounits prints it: N/A in brackets, units dropped. */
    static String csv(String v) {
        if (v == null || v.equals("N/A")) {
            return "[N/A]";
        }
        return v.replaceAll(" (MiB|C|W|MHz|%|us)$", "");
    }

    private static String sumUncorrectable(Element volatileErrors) {
        if (volatileErrors == null) {
            return "[N/A]";
        }
        long sum = 0;
        boolean any = false;
        NodeList all = volatileErrors.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String tag = e.getTagName();
            boolean uncorrectable = tag.contains("uncorrectable") || (tag.equals("total")
                    && ((Element) e.getParentNode()).getTagName().equals("double_bit"));
            String t = e.getTextContent().strip();
            if (uncorrectable && t.matches("\\d+")) {
                sum += Long.parseLong(t);
                any = true;
            }
        }
        return any ? String.valueOf(sum) : "[N/A]";
    }

    private static Element child(Element parent, String path) {
        Element cur = parent;
        for (String part : path.split("/")) {
            Element next = null;
            for (Node n = cur.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(part)) {
                    next = e;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            cur = next;
        }
        return cur;
    }

    private static String text(Element parent, String path) {
        Element e = child(parent, path);
        return e == null ? null : e.getTextContent().strip();
    }
}
