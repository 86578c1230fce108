package dev.warden.check;

import com.sun.net.httpserver.HttpServer;
import dev.warden.gpu.FakeGpuTools;
import dev.warden.gpu.ToolRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** tcp, ssh, url: PASS, WARN and FAIL of each, against servers on 127.0.0.1 only. */
class NetworkChecksTest {
    @TempDir
    Path dir;

    private HttpServer http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---- tcp

    @Test
    void tcp_pass_fail_and_warn_only() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String open = "127.0.0.1:" + server.getLocalPort();
            String closed = "127.0.0.1:" + closedPort();
            CheckHarness h = new CheckHarness(dir);
            CheckResult pass = h.run("tcp", open);
            assertThat(pass).isInstanceOf(CheckResult.Pass.class);
            assertThat(pass.evidence()).startsWith("reachable: " + open + " (");
            CheckResult fail = h.run("tcp", List.of(open, closed));
            assertThat(fail).isInstanceOf(CheckResult.Fail.class);
            assertThat(fail.evidence()).startsWith(closed + " refused the connection (reachable: " + open);
            assertThat(fail.fix()).contains("open port " + closed.substring(10));
            CheckResult soft = h.run("tcp", Map.of("targets", closed, "warn_only", "yes"));
            assertThat(soft).isInstanceOf(CheckResult.Warn.class);
        }
    }

    // ---- ssh

    /** A fake ssh that records its arguments, then behaves as the script says. */
    private ToolRunner fakeSsh(String name, String behaviour) {
        FakeGpuTools f = FakeGpuTools.in(dir.resolve(name)).script("ssh",
                "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/ssh.args\"\n" + behaviour + "\n");
        return f.runner();
    }

    @Test
    void ssh_pass_uses_batch_mode_and_the_users_config() throws Exception {
        ToolRunner tools = fakeSsh("ok", "exit 0");
        CheckResult pass = new CheckHarness(dir).tools(tools).run("ssh", Map.of("host", "rig-6600", "user", "ml", "port", "2222"));
        assertThat(pass).isInstanceOf(CheckResult.Pass.class);
        assertThat(pass.evidence()).startsWith("ssh ml@rig-6600:2222 `true` ok in ");
        String args = Files.readString(dir.resolve("ok/bin/ssh.args")).strip();
        assertThat(args).isEqualTo("-o BatchMode=yes -o ConnectTimeout=5 -l ml -p 2222 rig-6600 true");
    }

    @Test
    void ssh_fails_with_the_reason_and_its_fix() {
        CheckResult denied = new CheckHarness(dir).tools(fakeSsh("denied",
                "echo 'ml@192.168.3.120: Permission denied (publickey).' >&2; exit 255")).run("ssh", "192.168.3.120");
        assertThat(denied).isInstanceOf(CheckResult.Fail.class);
        assertThat(denied.evidence()).isEqualTo("ssh 192.168.3.120: ml@192.168.3.120: Permission denied (publickey).");
        assertThat(denied.fix()).contains("ssh-add");
        CheckResult remote = new CheckHarness(dir).tools(fakeSsh("remote", "echo 'rocm-smi: command not found' >&2; exit 127"))
                .run("ssh", Map.of("host", "rig-6600", "run", "rocm-smi --showuse"));
        assertThat(remote.evidence()).isEqualTo("ssh rig-6600 logged in, but `rocm-smi --showuse` exit 127: rocm-smi: command not found");
    }

    @Test
    void ssh_against_a_refused_port_on_localhost_with_the_real_client() throws Exception {
        int port = closedPort();
        CheckResult r = new CheckHarness(dir).run("ssh", Map.of("host", "127.0.0.1", "port", String.valueOf(port)));
        assertThat(r).isInstanceOf(CheckResult.Fail.class);
        assertThat(r.evidence()).contains("Connection refused");
        assertThat(r.fix()).isEqualTo("sshd is not listening there: start it, or fix the port");
    }

    @Test
    void ssh_warns_when_slow() {
        CheckResult r = new CheckHarness(dir).tools(fakeSsh("slow", "sleep 1; exit 0"))
                .run("ssh", Map.of("host", "rig-6600", "slow_after", "100ms"));
        assertThat(r).isInstanceOf(CheckResult.Warn.class);
        assertThat(r.evidence()).endsWith("(slow)");
    }

    // ---- url

    private String serve() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/ok", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        http.createContext("/gated", x -> {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            x.sendResponseHeaders("Bearer hf_sekrit".equals(auth) ? 200 : 401, -1);
            x.close();
        });
        http.createContext("/busy", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        http.createContext("/gone", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        http.createContext("/hop", x -> {
            String path = x.getRequestURI().getPath();
            int n = Integer.parseInt(path.substring("/hop/".length()));
            x.getResponseHeaders().add("Location", n > 1 ? "/hop/" + (n - 1) : "/gated");
            x.sendResponseHeaders(n % 2 == 0 ? 302 : 307, -1);
            x.close();
        });
        http.createContext("/loop", x -> {
            x.getResponseHeaders().add("Location", "/loop");
            x.sendResponseHeaders(301, -1);
            x.close();
        });
        http.createContext("/elsewhere", x -> {
            // the same server under another host name: the token must not follow the redirect there
            x.getResponseHeaders().add("Location", "http://[::ffff:127.0.0.1]:" + http.getAddress().getPort() + "/gated");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Test
    void redirects_are_followed_with_the_token_on_the_same_host_only() throws Exception {
        String base = serve();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HF_TOKEN", "hf_sekrit");
        CheckHarness h = new CheckHarness(dir).tools(new ToolRunner(env));

        CheckResult twoHops = h.run("url", Map.of("url", base + "/hop/2", "token_env", "HF_TOKEN"));
        assertThat(twoHops).isInstanceOf(CheckResult.Pass.class);
        assertThat(twoHops.evidence()).startsWith("HTTP 200 from " + base + "/hop/2 in ").contains(", after 2 redirects (the last to 127.0.0.1)");

        CheckResult otherHost = h.run("url", Map.of("url", base + "/elsewhere", "token_env", "HF_TOKEN"));
        assertThat(otherHost).isInstanceOf(CheckResult.Fail.class);
        assertThat(otherHost.evidence()).startsWith("HTTP 401").contains(", after 1 redirect (the last to [::ffff:127.0.0.1])");

        CheckResult loop = h.run("url", base + "/loop");
        assertThat(loop).isInstanceOf(CheckResult.Fail.class);
        assertThat(loop.evidence()).startsWith("more than 5 redirects from " + base + "/loop");
        for (CheckResult r : List.of(twoHops, otherHost, loop)) {
            assertThat(r.evidence() + r.fix()).doesNotContain("hf_sekrit");
        }
    }

    @Test
    void a_server_that_accepts_and_never_answers_fails_at_the_timeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CheckResult r = new CheckHarness(dir).run("url", Map.of("url", "http://127.0.0.1:" + silent.getLocalPort() + "/x", "timeout", "1s"));
            assertThat(r).isInstanceOf(CheckResult.Fail.class);
            assertThat(r.evidence()).contains("answer within 1"); // the check's own read timeout, or the runner's: the same 1 s
        }
    }

    @Test
    void url_pass_warn_fail() throws Exception {
        String base = serve();
        CheckHarness h = new CheckHarness(dir);
        CheckResult ok = h.run("url", base + "/ok");
        assertThat(ok).isInstanceOf(CheckResult.Pass.class);
        assertThat(ok.evidence()).startsWith("HTTP 200 from " + base + "/ok in ");
        CheckResult busy = h.run("url", base + "/busy");
        assertThat(busy).isInstanceOf(CheckResult.Warn.class);
        CheckResult gone = h.run("url", base + "/gone");
        assertThat(gone).isInstanceOf(CheckResult.Fail.class);
        assertThat(gone.fix()).contains("repo id");
        CheckResult refused = h.run("url", "http://127.0.0.1:" + closedPort() + "/config.json");
        assertThat(refused).isInstanceOf(CheckResult.Fail.class);
        assertThat(refused.evidence()).contains("refused");
    }

    @Test
    void gated_resource_fails_with_the_right_fix_and_passes_with_the_token_never_shown() throws Exception {
        String base = serve();
        CheckResult noTokenEnv = new CheckHarness(dir).run("url", base + "/gated");
        assertThat(noTokenEnv.evidence()).startsWith("HTTP 401");
        assertThat(noTokenEnv.fix()).contains("token_env");

        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("HF_TOKEN");
        CheckResult unset = new CheckHarness(dir).tools(new ToolRunner(env))
                .run("url", Map.of("url", base + "/gated", "token_env", "HF_TOKEN"));
        assertThat(unset.fix()).startsWith("export HF_TOKEN");

        env.put("HF_TOKEN", "hf_wrong");
        CheckResult wrong = new CheckHarness(dir).tools(new ToolRunner(env))
                .run("url", Map.of("url", base + "/gated", "token_env", "HF_TOKEN"));
        assertThat(wrong).isInstanceOf(CheckResult.Fail.class);
        assertThat(wrong.fix()).contains("accept the model's license");

        env.put("HF_TOKEN", "hf_sekrit");
        CheckResult right = new CheckHarness(dir).tools(new ToolRunner(env))
                .run("url", Map.of("url", base + "/gated", "token_env", "HF_TOKEN"));
        assertThat(right).isInstanceOf(CheckResult.Pass.class);
        assertThat(right.evidence()).endsWith("(with $HF_TOKEN)");
        for (CheckResult r : List.of(noTokenEnv, unset, wrong, right)) {
            assertThat(r.evidence() + r.fix()).doesNotContain("hf_sekrit").doesNotContain("hf_wrong");
        }
    }
}
