package dev.warden.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * url: an HTTP resource answers with success, optionally with a token from an environment
 * variable (a gated model repo, a private bucket behind HTTPS).
 * `- url: {url: "https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/config.json", token_env: HF_TOKEN}`.
 * The token goes in "Authorization: Bearer ..." (or the `header:` named), to the URL's own host only (not to where it
 * redirects elsewhere), and is never printed. Up to 5 redirects are followed, never from https to http.
 * FAIL for 401/403/404 and other 4xx and for no connection; WARN for 429 and 5xx (busy now).
 */
final class UrlCheck implements Check {
    private final URI url;
    private final String tokenEnv;
    private final String header;
    private final String method;
    private final Duration timeout;

    private UrlCheck(URI url, String tokenEnv, String header, String method, Duration timeout) {
        this.url = url;
        this.tokenEnv = tokenEnv;
        this.header = header;
        this.method = method;
        this.timeout = timeout;
    }

    static Check create(CheckArgs a) {
        a.allow("url", "token_env", "header", "method");
        String text = a.requireMain("url", "https://huggingface.co/ORG/MODEL/resolve/main/config.json");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw a.error("url", "`" + text + "` is not a URL (" + e.getReason() + ")", "write a full http(s):// URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw a.error("url", "`" + text + "` is not an http(s) URL", "write a full http(s):// URL");
        }
        String method = a.string("method", "HEAD").toUpperCase(Locale.ROOT);
        if (!method.equals("HEAD") && !method.equals("GET")) {
            throw a.error("method", "`" + method + "` is not HEAD or GET", "Warden only reads: use HEAD or GET");
        }
        String tokenEnv = a.isMap() ? a.string("token_env", null) : null;
        return new UrlCheck(uri, tokenEnv, a.string("header", "Authorization"), method, a.timeout(Duration.ofSeconds(20)));
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        String token = tokenEnv == null ? null : ctx.env().get(tokenEnv);
        boolean sent = token != null && !token.isBlank();
        String value = !sent ? null : header.equalsIgnoreCase("Authorization") ? "Bearer " + token.strip() : token.strip();
        long t0 = System.nanoTime();
        URI at = url;
        int status;
        int hops = 0;
        for (; ; hops++) {
            Answer a;
            try {
                // the token goes to the URL's own host only: a redirect elsewhere (a CDN) does not get it
                a = ask(at, url.getHost().equalsIgnoreCase(at.getHost()) ? value : null);
            } catch (NoAnswer e) {
                return e.result;
            }
            status = a.status();
            if (!REDIRECTS.contains(status) || a.location() == null) {
                break;
            }
            URI next;
            try {
                next = at.resolve(a.location().strip());
            } catch (IllegalArgumentException e) {
                break; // a Location that is no URL: the 3xx is the answer
            }
            if (next.getHost() == null || !"https".equals(next.getScheme()) && !"http".equals(next.getScheme())
                    || "https".equals(at.getScheme()) && "http".equals(next.getScheme())) {
                break; // as browsers and java.net.http do: never from https down to http
            }
            if (hops == MAX_REDIRECTS) {
                return CheckResult.fail("more than " + MAX_REDIRECTS + " redirects from " + url + " (the last to " + next + ")",
                        "check the URL: it may point at a login page or loop");
            }
            at = next;
        }
        String took = PreflightReport.time(Duration.ofNanos(System.nanoTime() - t0));
        String evidence = "HTTP " + status + " from " + url + " in " + took
                + (hops == 0 ? "" : ", after " + hops + " redirect" + (hops > 1 ? "s" : "") + " (the last to " + at.getHost() + ")")
                + (sent ? " (with $" + tokenEnv + ")" : "");
        if (status < 400) {
            return CheckResult.pass(evidence);
        }
        if (status == 401 || status == 403) {
            String fix;
            if (tokenEnv == null) {
                fix = "the resource needs a token: add `token_env: HF_TOKEN` (or your variable) to this check and export it";
            } else if (!sent) {
                fix = "export " + tokenEnv + " (a read token, e.g. from huggingface.co/settings/tokens) before the run";
            } else {
                fix = "the token in $" + tokenEnv + " has no access: accept the model's license on its page,"
                        + " or use a token with read access to it";
            }
            return CheckResult.fail(evidence, fix);
        }
        if (status == 404) {
            return CheckResult.fail(evidence, "check the URL (repo id, file name, revision); a gated repo may also answer 404 without access");
        }
        if (status == 429 || status >= 500) {
            return CheckResult.warn(evidence, "the server is busy or failing right now: retry, or copy the files to the node before the run");
        }
        return CheckResult.fail(evidence, "check the URL and the request it needs");
    }

    private static final java.util.Set<Integer> REDIRECTS = java.util.Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;

    private record Answer(int status, String location) {}

    /** A request that got no HTTP answer, with the result that says why. */
    private static final class NoAnswer extends Exception {
        final CheckResult result;

        NoAnswer(CheckResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /**
     * One request through HttpURLConnection: java.net.http.HttpClient's start-up (its selector thread and ~1,000
     * classes) cost ~0.2 s of every preflight with a url check, against ~20 ms.
     */
    private Answer ask(URI at, String headerValue) throws NoAnswer {
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) at.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw new NoAnswer(CheckResult.fail(at.getHost() + ": " + e, "check the URL"));
        }
        try {
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) Math.min(timeout.toMillis(), 10_000));
            c.setReadTimeout((int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
            c.setRequestMethod(method);
            c.setRequestProperty("User-Agent", "warden-preflight");
            if (headerValue != null) {
                c.setRequestProperty(header, headerValue);
            }
            try {
                c.connect();
            } catch (SocketTimeoutException e) {
                throw new NoAnswer(CheckResult.fail("no connection to " + at.getHost() + " within "
                        + PreflightReport.time(Duration.ofMillis(c.getConnectTimeout())), "check the network path (proxy, firewall, DNS) from this node"));
            }
            try {
                return new Answer(c.getResponseCode(), c.getHeaderField("Location"));
            } catch (SocketTimeoutException e) {
                throw new NoAnswer(CheckResult.fail(at + " did not answer within " + PreflightReport.time(timeout),
                        "the server is slow or stuck; retry later or raise `timeout:`"));
            }
        } catch (ConnectException e) {
            throw new NoAnswer(CheckResult.fail("connection to " + at.getHost() + ":" + port(at) + " refused",
                    "check the URL's host and port, and that the service is up"));
        } catch (IOException e) {
            throw new NoAnswer(CheckResult.fail(at.getHost() + ": " + e, "check the network path (proxy, firewall, DNS, TLS) from this node"));
        } finally {
            c.disconnect();
        }
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
    }
}
