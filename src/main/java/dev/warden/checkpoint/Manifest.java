package dev.warden.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The manifest in the format coreutils prints and checks: "HEX  NAME" per line. A name with a newline or a
 * carriage return (and, for sha256sum, a backslash) is written the GNU way: the line starts with '\' and
 * the name escapes '\\', '\n' and '\r'. So `sha256sum -c warden.sha256` accepts the file as it is.
 */
final class Manifest {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    private Manifest() {}

    static String format(Algorithm algorithm, List<SealRecord.FileHash> files) {
        StringBuilder b = new StringBuilder();
        for (SealRecord.FileHash f : files) {
            b.append(line(algorithm, f.hash(), f.path())).append('\n');
        }
        return b.toString();
    }

    static String line(Algorithm algorithm, String hex, String name) {
        boolean escape = name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0
                || (algorithm.escapesBackslash() && name.indexOf('\\') >= 0);
        if (!escape) {
            return hex + "  " + name;
        }
        String escaped = name.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
        return "\\" + hex + "  " + escaped;
    }

    /** Name to hex, in file order. Lines it cannot read are reported as problems, not skipped silently. */
    record Parsed(Map<String, String> entries, List<String> badLines) {}

    static Parsed parse(Algorithm algorithm, String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            if (raw.isEmpty()) {
                continue;
            }
            boolean escaped = raw.startsWith("\\");
            String line = escaped ? raw.substring(1) : raw;
            int sep = line.indexOf(' ');
            if (sep != algorithm.hexLength() || line.length() < sep + 3
                    || (line.charAt(sep + 1) != ' ' && line.charAt(sep + 1) != '*')
                    || !HEX.matcher(line.substring(0, sep)).matches()) {
                bad.add("line " + lineNo + ": " + Names.printable(raw.length() > 80 ? raw.substring(0, 80) + "..." : raw));
                continue;
            }
            String name = line.substring(sep + 2);
            if (escaped) {
                name = unescape(name);
            }
            if (entries.put(name, line.substring(0, sep)) != null) {
                bad.add("line " + lineNo + ": " + Names.printable(name) + " listed twice");
            }
        }
        return new Parsed(entries, bad);
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
