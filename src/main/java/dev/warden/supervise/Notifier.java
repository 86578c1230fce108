package dev.warden.supervise;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** POSTs {"text": ...} (Slack and Discord read `text`) to the spec's webhook. Never fatal: a failure is reported. */
public final class Notifier {
    /** Made on first use: most runs never notify. */
    private static final class Databind {
        static final ObjectMapper JSON = new ObjectMapper();
    }
    private final URI webhook;
    private final HttpClient client;
    private final Consumer<String> onFailure;

    public Notifier(String webhook, Consumer<String> onFailure) {
        this.webhook = webhook == null ? null : URI.create(webhook);
        this.client = webhook == null ? null : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.onFailure = onFailure;
    }

    public CompletableFuture<Void> send(String text, Map<String, Object> fields) {
        if (webhook == null) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            Map<String, Object> body = new java.util.LinkedHashMap<>(fields);
            body.put("text", text);
            HttpRequest req = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Databind.JSON.writeValueAsString(body))).build();
            return client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((resp, err) -> {
                if (err != null) {
                    onFailure.accept("webhook " + webhook.getHost() + " failed: " + err.getClass().getSimpleName()
                            + (err.getMessage() == null ? "" : " " + err.getMessage()));
                } else if (resp.statusCode() >= 300) {
                    onFailure.accept("webhook " + webhook.getHost() + " answered HTTP " + resp.statusCode());
                }
                return null;
            });
        } catch (Exception e) {
            onFailure.accept("webhook failed: " + e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
    }
}
