package dev.orchard.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local OpenAI-compatible endpoint for tests: answers {@code POST /v1/chat/completions} with the content a
 * function computes from the request, or with a given HTTP status for the first few calls.
 */
public final class StubChatServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 500;

    /** @param answer the assistant content for a request (its JSON body) */
    public StubChatServer(Function<JsonNode, String> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode req = JSON.readTree(body);
            requests.add(req);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            int status;
            byte[] out;
            if (failuresLeft.getAndDecrement() > 0) {
                status = failureStatus;
                out = "{\"error\": \"busy\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                var resp = JSON.createObjectNode();
                resp.putArray("choices").addObject().putObject("message").put("role", "assistant")
                        .put("content", answer.apply(req));
                out = JSON.writeValueAsBytes(resp);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    /** The next {@code n} calls answer HTTP {@code status}. */
    public void failNext(int n, int status) {
        failureStatus = status;
        failuresLeft.set(n);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The user message of a request. */
    public static String userMessage(JsonNode request) {
        for (JsonNode m : request.get("messages")) {
            if (m.get("role").asText().equals("user")) {
                return m.get("content").asText();
            }
        }
        return "";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
