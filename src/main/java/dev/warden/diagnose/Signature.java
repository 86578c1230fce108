package dev.warden.diagnose;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stable name for "the same failure": the error line with everything that changes from run to
 * run (numbers, hex addresses, paths, PCI ids, UUIDs, IPs, pids, ports) normalised away, plus a
 * short hash id. Codes that tell failures apart are kept: the Xid number, errno, the signal.
 */
public record Signature(String text, String id) {

    private static final int MAX = 300;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");
    private static final Pattern UUID = Pattern.compile(
            "(?i)\\b(?:GPU-|MIG-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b");
    /** A PCI bus id (0000:3b:00.0, 00000000:3B:00.0), with the "PCI:" prefix NVRM puts before it. */
    private static final Pattern PCI = Pattern.compile(
            "(?i)(?:\\bPCI:)?\\b(?:[0-9a-f]{8}|[0-9a-f]{4}):[0-9a-f]{2}:[0-9a-f]{2}(?:\\.[0-7])?\\b");
    private static final Pattern IP = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b");
    private static final Pattern HEX = Pattern.compile("(?i)\\b0x[0-9a-f]+\\b");
    private static final Pattern PATH = Pattern.compile("(?:[A-Za-z]:|~|\\.{1,2})?(?:[\\\\/][^\\s/\\\\'\"`:,;()\\[\\]<>]+){2,}");
    private static final Pattern RANK = Pattern.compile("(?i)\\brank ?\\d+");
    private static final Pattern SIZE = Pattern.compile("<n> ?(?:bytes|[KMGTP]i?B|kB)\\b");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])-?\\d+(?:\\.\\d+)*(?!\\w)");
    private static final Pattern KEEP_BEFORE = Pattern.compile(
            "(?i)(?:Xid \\(<pci>\\): |Xid |Errno |signal |Signals\\.SIG\\w+: |exit ?code:? |return code = |status )$");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    public static Signature of(String errorLine) {
        String text = normalise(errorLine == null ? "" : errorLine);
        return new Signature(text, hash(text));
    }

    static String normalise(String line) {
        String s = ANSI.matcher(line).replaceAll("");
        s = UUID.matcher(s).replaceAll("<uuid>");
        s = PCI.matcher(s).replaceAll("<pci>");
        s = IP.matcher(s).replaceAll("<ip>");
        s = HEX.matcher(s).replaceAll("0x<hex>");
        s = replacePaths(s);
        s = RANK.matcher(s).replaceAll("rank<n>");
        s = replaceNumbers(s);
        s = SIZE.matcher(s).replaceAll("<size>");
        s = SPACES.matcher(s).replaceAll(" ").trim();
        return s.length() <= MAX ? s : s.substring(0, MAX);
    }

    private static String replacePaths(String s) {
        Matcher m = PATH.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String path = m.group();
            int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
            m.appendReplacement(sb, Matcher.quoteReplacement("<path>/" + path.substring(slash + 1)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String replaceNumbers(String s) {
        Matcher m = NUMBER.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String before = s.substring(Math.max(0, m.start() - 24), m.start());
            boolean keep = KEEP_BEFORE.matcher(before).find();
            m.appendReplacement(sb, keep ? Matcher.quoteReplacement(m.group()) : "<n>");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * Loads SHA-256 and the normaliser's patterns (~5 ms in a fresh JVM) on a thread that would otherwise wait: the
     * supervisor's, while the catalog loads after a first failure, instead of after the diagnosis.
     */
    public static void warmUp() {
        of("warm-up: error 1 at 0x0");
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
