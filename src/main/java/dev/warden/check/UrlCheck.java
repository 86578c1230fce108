package dev.warden.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * url: an HTTP resource answers with success, optionally with a token from an environment
 * variable (a gated model repo, a private bucket behind HTTPS).
 * `- url: {url: "https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/config.json", token_env: HF_TOKEN}`.
 * The token goes in "Authorization: Bearer ..." (or the `header:` named) and is never printed.
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
    public CheckResult run(CheckContext ctx) throws InterruptedException {
        String token = tokenEnv == null ? null : ctx.env().get(tokenEnv);
        boolean sent = token != null && !token.isBlank();
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", "warden-preflight");
        if (sent) {
            req.header(header, header.equalsIgnoreCase("Authorization") ? "Bearer " + token.strip() : token.strip());
        }
        long t0 = System.nanoTime();
        int status;
        try {
            status = client.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpConnectTimeoutException e) {
            return CheckResult.fail("no connection to " + url.getHost() + " within " + PreflightReport.time(timeout),
                    "check the network path (proxy, firewall, DNS) from this node");
        } catch (HttpTimeoutException e) {
            return CheckResult.fail(url + " did not answer within " + PreflightReport.time(timeout),
                    "the server is slow or stuck; retry later or raise `timeout:`");
        } catch (ConnectException e) {
            return CheckResult.fail("connection to " + url.getHost() + ":" + port() + " refused",
                    "check the URL's host and port, and that the service is up");
        } catch (IOException e) {
            return CheckResult.fail(url.getHost() + ": " + e, "check the network path (proxy, firewall, DNS, TLS) from this node");
        }
        String took = PreflightReport.time(Duration.ofNanos(System.nanoTime() - t0));
        String evidence = "HTTP " + status + " from " + url + " in " + took + (sent ? " (with $" + tokenEnv + ")" : "");
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

    private int port() {
        return url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
    }
}
