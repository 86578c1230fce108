package dev.warden.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The result of a data check: what was read and one {@link Finding} per check, in a fixed order.
 *
 * @param format       chat, prompt_completion, text or unknown
 * @param formatSource "given", "detected from the first N records", or why it is unknown
 * @param tokens       how lengths were measured ("estimated as ..." or "counted with tokenizer ...")
 * @param lines        lines read
 * @param records      records that had the format's fields (the ones lengths and duplicates are about)
 * @param bytes        bytes of text read (after decompression)
 * @param sampled      true when only the first {@code --sample} lines were read
 */
public record DataReport(Path file, String format, String formatSource, String tokens, int maxTokens,
                         long lines, long records, long bytes, boolean sampled, List<Finding> findings) {

    public DataReport {
        findings = List.copyOf(findings);
    }

    public boolean hasFail() {
        return findings.stream().anyMatch(f -> f.status() == Finding.Status.FAIL);
    }

    /** FAIL if any finding fails, else WARN if any warns, else PASS. */
    public Finding.Status status() {
        return worst().map(Finding::status).orElse(Finding.Status.PASS);
    }

    /** The first failing finding, else the first warning one; empty when everything passed. */
    public Optional<Finding> worst() {
        for (Finding.Status s : new Finding.Status[] {Finding.Status.FAIL, Finding.Status.WARN}) {
            for (Finding f : findings) {
                if (f.status() == s) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    /** One line: "train.jsonl: FAIL length: ... (also FAIL: duplicates)" or "train.jsonl: PASS: 10,234 chat records ...". */
    public String summary() {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        Optional<Finding> w = worst();
        if (w.isEmpty()) {
            return name + ": PASS: " + String.format(Locale.ROOT, "%,d", records) + " " + format + " records"
                    + (sampled ? " in the first " + String.format(Locale.ROOT, "%,d", lines) + " lines" : "")
                    + ", no problems found";
        }
        Finding f = w.get();
        List<String> others = new ArrayList<>();
        for (Finding o : findings) {
            if (o != f && o.status() == f.status()) {
                others.add(o.id());
            }
        }
        return name + ": " + f.status() + " " + f.id() + ": " + f.message()
                + (others.isEmpty() ? "" : " (also " + f.status() + ": " + String.join(", ", others) + ")");
    }

    /** What to do about the worst finding; empty when everything passed. */
    public String fix() {
        return worst().map(Finding::fix).orElse("");
    }

    /** The --json shape. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("status", status().name());
        m.put("summary", summary());
        m.put("fix", fix());
        m.put("format", format);
        m.put("format_source", formatSource);
        m.put("tokens", tokens);
        m.put("max_tokens", maxTokens);
        m.put("lines", lines);
        m.put("records", records);
        m.put("bytes", bytes);
        m.put("sampled", sampled);
        m.put("findings", findings.stream().map(Finding::toMap).toList());
        return m;
    }
}
