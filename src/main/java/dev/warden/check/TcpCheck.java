package dev.warden.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * tcp: host:port accepts connections (a data server, a parameter server, the master of a multi-node
 * job). `- tcp: "10.0.0.2:22"`, `- tcp: ["10.0.0.2:29500", "10.0.0.3:29500"]`,
 * `- tcp: {targets: [...], connect_timeout: 3s}`. FAIL when one is refused, silent or unknown;
 * WARN when all answer but one took longer than a second.
 */
final class TcpCheck implements Check {
    static final Duration SLOW = Duration.ofSeconds(1);

    private final List<String> targets;
    private final Duration connectTimeout;

    private TcpCheck(List<String> targets, Duration connectTimeout) {
        this.targets = targets;
        this.connectTimeout = connectTimeout;
    }

    static Check create(CheckArgs a) {
        a.allow("targets", "connect_timeout");
        List<String> targets = a.requireList("targets", "\"10.0.0.2:22\"");
        for (String t : targets) {
            hostPort(a, t);
        }
        return new TcpCheck(targets, a.duration("connect_timeout", Duration.ofSeconds(5)));
    }

    static InetSocketAddress hostPort(CheckArgs a, String target) {
        int colon = target.lastIndexOf(':');
        String host = colon > 0 ? target.substring(0, colon).replace("[", "").replace("]", "") : "";
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw a.error(null, "`" + target + "` is not host:port", "write it like \"10.0.0.2:22\" (quoted in YAML)");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        List<String> ok = new ArrayList<>();
        String slow = null;
        for (String t : targets) {
            int colon = t.lastIndexOf(':');
            String host = t.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(t.substring(colon + 1));
            long t0 = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            } catch (UnknownHostException e) {
                return CheckResult.fail("cannot resolve `" + host + "`", "fix the host name, or add it to /etc/hosts or DNS");
            } catch (ConnectException e) {
                return CheckResult.fail(t + " refused the connection" + okSoFar(ok),
                        "start the service on " + host + ", or open port " + port + " in its firewall");
            } catch (SocketTimeoutException e) {
                return CheckResult.fail("no answer from " + t + " within " + PreflightReport.time(connectTimeout) + okSoFar(ok),
                        "the host is down or a firewall drops the packets: check VPN, security group, routes");
            } catch (IOException e) {
                return CheckResult.fail(t + ": " + e.getMessage() + okSoFar(ok), "check the network path to " + host);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            ok.add(t + " (" + PreflightReport.time(took) + ")");
            if (took.compareTo(SLOW) > 0 && slow == null) {
                slow = t + " took " + PreflightReport.time(took) + " to connect";
            }
        }
        if (slow != null) {
            return CheckResult.warn(slow, "a slow network path will slow data loading and collectives: check the route");
        }
        return CheckResult.pass("reachable: " + String.join(", ", ok));
    }

    private static String okSoFar(List<String> ok) {
        return ok.isEmpty() ? "" : " (reachable: " + String.join(", ", ok) + ")";
    }
}
