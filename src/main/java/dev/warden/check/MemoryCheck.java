package dev.warden.check;

import dev.warden.spec.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * memory: host RAM. `- memory: 8GiB` or `- memory: {min_available: 8GiB, max_used: 90%}`. FAIL when less than
 * min_available (default 2GiB) is available, WARN when more than max_used (default 90%) is in use.
 * Read from /proc/meminfo (MemAvailable counts reclaimable cache as available).
 */
final class MemoryCheck implements Check {
    static final Path MEMINFO = Path.of("/proc/meminfo");

    private final long minAvailable;
    private final double maxUsedPercent;

    private MemoryCheck(long minAvailable, double maxUsedPercent) {
        this.minAvailable = minAvailable;
        this.maxUsedPercent = maxUsedPercent;
    }

    static Check create(CheckArgs a) {
        a.allow("min_available", "max_used");
        double maxUsed = a.number("max_used", 90.0);
        if (maxUsed < 0 || maxUsed > 100) {
            throw a.error("max_used", "`" + maxUsed + "` is not a percentage", "write a value from 0 to 100, e.g. `max_used: 90%`");
        }
        long minAvailable = a.size("min_available", 2L << 30);
        String scalar = a.isMap() ? null : a.main("min_available");
        if (scalar != null) {
            try {
                minAvailable = dev.warden.spec.Sizes.parse(scalar);
            } catch (IllegalArgumentException e) {
                throw a.error(null, e.getMessage(), "write `- memory: 8GiB` (min_available) or `- memory: {min_available: 8GiB, max_used: 90%}`");
            }
        }
        return new MemoryCheck(minAvailable, maxUsed);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        Map<String, Long> kib;
        try {
            kib = parse(Files.readString(MEMINFO));
        } catch (IOException e) {
            return CheckResult.warn("cannot read " + MEMINFO + " (" + e.getClass().getSimpleName() + ")",
                    "check the node's memory by hand (`free -h`)");
        }
        Long total = kib.get("MemTotal");
        Long available = kib.get("MemAvailable");
        if (total == null || available == null || total == 0) {
            return CheckResult.warn(MEMINFO + " has no MemTotal/MemAvailable", "check the node's memory by hand (`free -h`)");
        }
        long totalB = total << 10;
        long availB = available << 10;
        double usedPct = 100.0 * (totalB - availB) / totalB;
        String evidence = Sizes.format(availB) + " available of " + Sizes.format(totalB) + " ("
                + String.format(Locale.ROOT, "%.0f", usedPct) + "% used)";
        if (availB < minAvailable) {
            return CheckResult.fail(evidence + ", below min_available " + Sizes.format(minAvailable),
                    "stop what uses the memory (`ps aux --sort=-rss | head`), or use a node with more RAM");
        }
        if (usedPct > maxUsedPercent) {
            return CheckResult.warn(evidence + ", above max_used " + String.format(Locale.ROOT, "%.0f", maxUsedPercent) + "%",
                    "data loaders and pinned memory need headroom: stop other memory users (`ps aux --sort=-rss | head`)");
        }
        return CheckResult.pass(evidence);
    }

    static Map<String, Long> parse(String meminfo) {
        Map<String, Long> m = new HashMap<>();
        for (String line : meminfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] parts = line.substring(colon + 1).strip().split("\\s+");
            try {
                m.put(line.substring(0, colon), Long.parseLong(parts[0]));
            } catch (NumberFormatException e) {
                // not a number line; skip
            }
        }
        return m;
    }
}
