package dev.warden.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the javadoc of records from their source files: the text before the tags describes the record, each
 * `@param` its component. The schema's descriptions come from here, so the javadoc stays their one source.
 * Keys: "Budget" for a record, "Budget.maxWall" for a component (records are named by their simple names).
 */
final class RecordDocs {
    private static final Pattern RECORD_AFTER_DOC = Pattern.compile(
            "\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*public\\s+(?:static\\s+)?record\\s+(\\w+)");
    private static final Pattern PARAM = Pattern.compile("@param\\s+(\\w+)\\s+(.*?)(?=@\\w+|$)", Pattern.DOTALL);

    private RecordDocs() {}

    /** Descriptions from the source files of the given top-level classes, under sourceRoot (src/main/java). */
    static Map<String, String> read(Path sourceRoot, Class<?>... classes) {
        Map<String, String> docs = new HashMap<>();
        for (Class<?> c : classes) {
            Path file = sourceRoot.resolve(c.getName().replace('.', '/') + ".java");
            try {
                parse(Files.readString(file, StandardCharsets.UTF_8), docs);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file + " for the schema's descriptions: " + e.getMessage(), e);
            }
        }
        return docs;
    }

    static void parse(String source, Map<String, String> into) {
        int from = 0;
        int open;
        while ((open = source.indexOf("/**", from)) >= 0) {
            int close = source.indexOf("*/", open + 3);
            if (close < 0) {
                return;
            }
            from = close + 2;
            Matcher r = RECORD_AFTER_DOC.matcher(source).region(from, source.length());
            if (!r.lookingAt()) {
                continue;
            }
            String record = r.group(1);
            String body = source.substring(open + 3, close).replaceAll("(?m)^\\s*\\*", " ");
            int firstTag = body.indexOf("@");
            String summary = clean(firstTag < 0 ? body : body.substring(0, firstTag));
            // the part of the summary meant for Java readers stays out of the schema
            int javaNote = summary.indexOf("(Java note:");
            summary = javaNote < 0 ? summary : summary.substring(0, javaNote).trim();
            if (!summary.isEmpty()) {
                into.put(record, summary);
            }
            Matcher p = PARAM.matcher(firstTag < 0 ? "" : body.substring(firstTag));
            while (p.find()) {
                into.put(record + "." + p.group(1), clean(p.group(2)));
            }
        }
    }

    private static String clean(String text) {
        return text.replaceAll("\\{@(?:link|code)\\s+([^}]*)}", "$1").replaceAll("\\s+", " ").trim();
    }
}
