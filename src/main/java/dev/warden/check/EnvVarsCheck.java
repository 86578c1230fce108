package dev.warden.check;

import java.util.ArrayList;
import java.util.List;

/**
 * env: variables the job needs are set. `- env: [HF_TOKEN, WANDB_API_KEY]`. Values are never
 * printed. FAIL when one is unset, WARN when one is set but blank.
 */
final class EnvVarsCheck implements Check {
    private final List<String> names;

    private EnvVarsCheck(List<String> names) {
        this.names = names;
    }

    static Check create(CheckArgs a) {
        a.allow("vars");
        List<String> names = a.requireList("vars", "[HF_TOKEN, WANDB_API_KEY]");
        for (String n : names) {
            if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw a.error("vars", "`" + n + "` is not a variable name", "list names only, never values");
            }
        }
        return new EnvVarsCheck(names);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        List<String> unset = new ArrayList<>();
        List<String> blank = new ArrayList<>();
        for (String n : names) {
            String v = ctx.env().get(n);
            if (v == null) {
                unset.add(n);
            } else if (v.isBlank()) {
                blank.add(n);
            }
        }
        if (!unset.isEmpty()) {
            return CheckResult.fail("not set: " + String.join(", ", unset),
                    "export them in the shell that starts Warden (or the job's env file)");
        }
        if (!blank.isEmpty()) {
            return CheckResult.warn("set but empty: " + String.join(", ", blank), "give them their values before the run");
        }
        return CheckResult.pass("set: " + String.join(", ", names) + " (values not shown)");
    }
}
