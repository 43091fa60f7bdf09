package dev.orchard.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A client for any OpenAI-compatible chat endpoint ({@code POST .../v1/chat/completions}): OpenAI itself, vLLM,
 * llama.cpp's server, Ollama, or Orchard's own server. Used by the judge-based graders, safety classifier and
 * side-by-side comparison. Retries rate limits and server errors a few times with backoff.
 */
public final class ChatClient {

    /** One chat message. */
    public record Message(String role, String content) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;

    private final URI endpoint;
    private final String apiKey;
    private final String model;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param baseUrl a server root ({@code http://localhost:8080}), an API root ending in {@code /v1}, or the full
     *                {@code .../chat/completions} URL
     * @param apiKey  sent as a bearer token; null or empty for servers that need none
     * @param model   the model name the server expects
     */
    public ChatClient(String baseUrl, String apiKey, String model, Duration timeout) {
        this.endpoint = endpoint(baseUrl);
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.model = model;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    static URI endpoint(String baseUrl) {
        String b = baseUrl.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        if (!b.endsWith("/chat/completions")) {
            b += b.endsWith("/v1") ? "/chat/completions" : "/v1/chat/completions";
        }
        URI uri;
        try {
            uri = URI.create(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + baseUrl, e);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("the judge endpoint must be an http(s) URL, got " + baseUrl);
        }
        return uri;
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sends the conversation and returns the first choice's message content.
     *
     * @throws IOException when the server cannot be reached or keeps failing, or answers without a message
     */
    public String complete(List<Message> messages, double temperature, int maxTokens) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("temperature", temperature);
        body.put("max_tokens", maxTokens);
        ArrayNode msgs = body.putArray("messages");
        for (Message m : messages) {
            msgs.addObject().put("role", m.role()).put("content", m.content());
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        if (apiKey != null) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        HttpRequest request = rb.build();
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + endpoint, e);
            } catch (IOException e) {
                last = new IOException("cannot reach the judge at " + endpoint + ": " + e.getMessage(), e);
                backoff(attempt);
                continue;
            }
            int status = response.statusCode();
            if (status == 429 || status >= 500) {
                last = new IOException("the judge at " + endpoint + " answered HTTP " + status);
                backoff(attempt);
                continue;
            }
            if (status != 200) {
                throw new IOException("the judge at " + endpoint + " answered HTTP " + status + ": "
                        + abbreviate(response.body()));
            }
            return content(response.body());
        }
        throw last;
    }

    private static String content(String body) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IOException("the judge's answer is not JSON: " + abbreviate(body), e);
        }
        JsonNode content = root.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new IOException("the judge's answer has no choices[0].message.content: " + abbreviate(body));
        }
        return content.asText();
    }

    private static void backoff(int attempt) throws IOException {
        if (attempt == ATTEMPTS) {
            return;
        }
        try {
            Thread.sleep(250L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
