package dev.warden.check;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An incident turned into the preflight check that would have caught it before the run: a missing module becomes
 * an import check, no space left a disk check, an unreachable host a tcp check, a gated model an env + url check.
 *
 * @param entry   the YAML flow entry for the `checks:` list, e.g. `{import: [flash_attn]}`
 * @param why     one line for the comment next to it
 */
public record LearnedCheck(String entry, String why) {
    private static final Pattern MODULE = Pattern.compile("No module named '([A-Za-z0-9_.]+)'");
    private static final Pattern SITE_PACKAGES = Pattern.compile("(?:site|dist)-packages/([A-Za-z0-9_]+)");
    private static final Pattern HOST_PORT = Pattern.compile("(?<![\\w.])((?:\\d{1,3}\\.){3}\\d{1,3}|[a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*):(\\d{2,5})\\b");
    private static final Pattern URL = Pattern.compile("https?://[^\\s'\"<>)]+");

    /** The check for an incident's category and evidence; empty when no preflight check can see it coming. */
    public static Optional<LearnedCheck> from(String category, String evidence) {
        String text = evidence == null ? "" : evidence;
        switch (category) {
            case "missing_dependency", "abi_mismatch" -> {
                Matcher m = MODULE.matcher(text);
                String module = m.find() ? m.group(1).split("\\.")[0] : null;
                if (module == null) {
                    Matcher s = SITE_PACKAGES.matcher(text);
                    module = s.find() ? s.group(1) : null;
                }
                if (module == null) {
                    return Optional.empty();
                }
                String why = category.equals("abi_mismatch")
                        ? module + " failed to load against the installed torch (a compiled extension); also lock the stack with `warden env lock`"
                        : module + " was missing";
                return Optional.of(new LearnedCheck("{import: [" + module + "]}", why));
            }
            case "disk_full" -> {
                return Optional.of(new LearnedCheck("{disk: {path: ., min_free: 50GiB}}",
                        "the disk filled during a run; raise min_free to what a run writes"));
            }
            case "network", "nccl_error" -> {
                Matcher m = HOST_PORT.matcher(text);
                while (m.find()) {
                    int port = Integer.parseInt(m.group(2));
                    if (port > 0 && port < 65536) {
                        return Optional.of(new LearnedCheck("{tcp: \"" + m.group(1) + ":" + port + "\"}", m.group(1) + ":" + port + " was unreachable"));
                    }
                }
                return Optional.empty();
            }
            case "access_denied" -> {
                Matcher m = URL.matcher(text);
                if (m.find()) {
                    return Optional.of(new LearnedCheck("{url: {url: \"" + m.group() + "\", token_env: HF_TOKEN}}",
                            "access was denied (401/403): a gated model or a missing token"));
                }
                return Optional.of(new LearnedCheck("{env: [HF_TOKEN]}", "access was denied (401/403): the token was missing or wrong"));
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
