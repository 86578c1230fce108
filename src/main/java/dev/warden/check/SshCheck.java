package dev.warden.check;

import dev.warden.gpu.ToolResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ssh: a node answers ssh without a password prompt (BatchMode), through the user's own ssh
 * config (aliases, keys, jump hosts all apply). `- ssh: rig-6600`,
 * `- ssh: {host: 192.168.3.120, user: ml, port: 2222, run: "rocm-smi --showuse"}`. FAIL when ssh
 * cannot log in or the remote command fails; WARN when it works but takes longer than slow_after (5s).
 */
final class SshCheck implements Check {
    private final String host;
    private final String user;
    private final Integer port;
    private final String remote;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final Duration slowAfter;

    private SshCheck(String host, String user, Integer port, String remote, Duration connectTimeout, Duration timeout,
                     Duration slowAfter) {
        this.host = host;
        this.user = user;
        this.port = port;
        this.remote = remote;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.slowAfter = slowAfter;
    }

    static Check create(CheckArgs a) {
        a.allow("host", "user", "port", "run", "connect_timeout", "slow_after");
        String host = a.requireMain("host", "rig-6600");
        if (host.startsWith("-") || host.contains(" ")) {
            throw a.error("host", "`" + host + "` is not a host name", "write a host or an alias from ~/.ssh/config");
        }
        return new SshCheck(host, a.string("user", null), a.integer("port", null), a.string("run", "true"),
                a.duration("connect_timeout", Duration.ofSeconds(5)), a.timeout(Duration.ofSeconds(20)),
                a.duration("slow_after", Duration.ofSeconds(5)));
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=" + Math.max(1, connectTimeout.toSeconds())));
        if (user != null) {
            argv.addAll(List.of("-l", user));
        }
        if (port != null) {
            argv.addAll(List.of("-p", String.valueOf(port)));
        }
        argv.add(host);
        argv.add(remote);
        String target = (user == null ? "" : user + "@") + host + (port == null ? "" : ":" + port);
        ToolResult r = ctx.tools().run(argv, CheckArgs.toolTimeout(timeout), null);
        if (r.notFound()) {
            return CheckResult.fail("no ssh client on PATH", "install openssh-client");
        }
        if (r.timedOut()) {
            return CheckResult.fail("ssh " + target + " did not finish within " + PreflightReport.time(timeout),
                    "the host accepts TCP but hangs: check it by hand with `ssh -v " + target + "`");
        }
        if (r.exitCode() == 255) {
            String why = r.lastLine();
            return CheckResult.fail("ssh " + target + ": " + why, fix(why, target));
        }
        if (r.exitCode() != 0) {
            return CheckResult.fail("ssh " + target + " logged in, but `" + remote + "` exit " + r.exitCode()
                    + (r.lastLine().isEmpty() ? "" : ": " + r.lastLine()), "run `ssh " + target + " " + remote + "` to see why");
        }
        String evidence = "ssh " + target + " `" + remote + "` ok in " + PreflightReport.time(r.took());
        if (r.took().compareTo(slowAfter) > 0) {
            return CheckResult.warn(evidence + " (slow)", "slow logins slow every multi-node launch: check DNS (UseDNS) and the network");
        }
        return CheckResult.pass(evidence);
    }

    static String fix(String why, String target) {
        String w = why.toLowerCase(Locale.ROOT);
        if (w.contains("permission denied")) {
            return "no key is accepted: load one (`ssh-add`), or set IdentityFile for " + target + " in ~/.ssh/config";
        }
        if (w.contains("host key verification failed")) {
            return "the host key is unknown or changed: `ssh " + target + "` once by hand to check and accept it";
        }
        if (w.contains("could not resolve")) {
            return "fix the host name, or add a Host entry in ~/.ssh/config";
        }
        if (w.contains("connection refused")) {
            return "sshd is not listening there: start it, or fix the port";
        }
        if (w.contains("timed out") || w.contains("no route")) {
            return "the host is down or unreachable: check power, VPN and firewall";
        }
        return "run `ssh -v " + target + "` to see why";
    }
}
