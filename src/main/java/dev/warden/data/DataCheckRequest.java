package dev.warden.data;

import dev.warden.UserError;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A data check as warden.yaml writes it: {@code {data: {file: train.jsonl, max_tokens: 2048,
 * format: chat, tokenizer: tok/tokenizer.json, sample: 1000}}}.
 */
public record DataCheckRequest(Path file, DataCheckOptions options) {

    static final List<String> KEYS = List.of("file", "format", "tokenizer", "max_tokens", "sample",
            "max_over_share", "min_unique_share");

    public DataReport run() {
        return DataCheck.run(file, options);
    }

    /**
     * Reads the check's map (with or without the outer {@code data:} key). Relative paths are resolved
     * against {@code baseDir}, the directory of warden.yaml. Throws UserError naming any bad key or value.
     */
    public static DataCheckRequest fromMap(Map<String, ?> yaml, Path baseDir) {
        Map<?, ?> map = yaml;
        if (yaml.size() == 1 && yaml.containsKey("data")) {
            Object inner = yaml.get("data");
            if (!(inner instanceof Map<?, ?> m)) {
                throw new UserError("data check: `data` must be a map like {file: train.jsonl, max_tokens: 2048}, not `" + inner + "`");
            }
            map = m;
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new UserError("data check: unknown key `" + key + "`; known keys: " + String.join(", ", KEYS));
            }
        }
        Object file = map.get("file");
        if (file == null || String.valueOf(file).isBlank()) {
            throw new UserError("data check: `file` is missing; write e.g. {data: {file: train.jsonl}}");
        }
        DataCheckOptions o = DataCheckOptions.defaults();
        if (map.get("format") != null) {
            o = o.withFormat(DataFormat.parse(String.valueOf(map.get("format"))));
        }
        if (map.get("tokenizer") != null) {
            o = o.withTokenizer(baseDir.resolve(String.valueOf(map.get("tokenizer"))));
        }
        if (map.get("max_tokens") != null) {
            o = o.withMaxTokens((int) whole("max_tokens", map.get("max_tokens"), Integer.MAX_VALUE));
        }
        Object sample = map.get("sample");
        if (sample != null && !"all".equals(String.valueOf(sample).toLowerCase(Locale.ROOT))) {
            long n = whole("sample", sample, Long.MAX_VALUE);
            if (n < 1) {
                throw new UserError("data check: sample " + n + " must be at least 1 line, or `all`");
            }
            o = o.withSampleLines(n);
        }
        if (map.get("max_over_share") != null) {
            o = o.withMaxOverShare(share("max_over_share", map.get("max_over_share")));
        }
        if (map.get("min_unique_share") != null) {
            o = o.withMinUniqueShare(share("min_unique_share", map.get("min_unique_share")));
        }
        return new DataCheckRequest(baseDir.resolve(String.valueOf(file)), o);
    }

    private static long whole(String key, Object v, long max) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            long n = ((Number) v).longValue();
            if (n <= max) {
                return n;
            }
        }
        throw new UserError("data check: " + key + " `" + v + "` is not a whole number; write e.g. " + key + ": 2048");
    }

    /** A share as 0.05 or "5%". */
    static double share(String key, Object v) {
        try {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            String s = String.valueOf(v).trim();
            if (s.endsWith("%")) {
                return new BigDecimal(s.substring(0, s.length() - 1).trim()).doubleValue() / 100;
            }
            return new BigDecimal(s).doubleValue();
        } catch (NumberFormatException e) {
            throw new UserError("data check: " + key + " `" + v + "` is not a share; write 0.05 or 5%");
        }
    }
}
