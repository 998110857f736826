package dev.nexus.host.testing;

import dev.nexus.host.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium (Debian's {@code chromium}, never a downloaded browser) driven over the
 * Chrome DevTools protocol with the JDK's own WebSocket client: one page, real key and mouse input,
 * screenshots. The binary is {@code NEXUS_TEST_CHROMIUM} (set by {@code .ci/browser.sh}, which
 * {@code ./nexus test} sources) or {@code /usr/bin/chromium}. When it cannot start, {@link #launch()}
 * throws an {@link AssertionError} that says why and how to install it: browser tests never skip.
 * Confined to the test thread.
 */
public final class Chromium implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);
    private static final Duration WAIT_LIMIT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());
    private String session = "";

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts the browser with one blank page of 1280×900 CSS pixels. */
    public static Chromium launch() {
        String binary = System.getenv().getOrDefault("NEXUS_TEST_CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(binary))) {
            throw new AssertionError(
                    "the web console's browser tests need Chromium, but '" + binary + "' is not an executable; "
                            + "run them with ./nexus test (it installs Debian's chromium), or apt-get install chromium, "
                            + "or point NEXUS_TEST_CHROMIUM at a Chromium binary");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("nexus-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of(
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--mute-audio",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--window-size=1280,900",
                "about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("Chromium at '" + binary + "' did not start: " + e.getMessage(), e);
        }
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader err =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    synchronized (output) {
                        if (output.length() < 20_000) {
                            output.append(line).append('\n');
                        }
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // the process went away; handled below
            }
            endpoint.completeExceptionally(new IllegalStateException("Chromium exited before it listened"));
        });
        String url;
        try {
            url = endpoint.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            String said;
            synchronized (output) {
                said = output.toString();
            }
            throw new AssertionError(
                    "Chromium (" + binary + ") did not open its DevTools endpoint within " + START_LIMIT.toSeconds()
                            + " s (" + e + "); it printed:\n" + said,
                    e);
        }
        Chromium browser = connect(process, profile, url);
        browser.open();
        return browser;
    }

    private static Chromium connect(Process process, Path profile, String url) {
        Chromium[] holder = new Chromium[1];
        Listener listener = new Listener(holder);
        WebSocket socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url), listener)
                .join();
        holder[0] = new Chromium(process, profile, socket);
        return holder[0];
    }

    @SuppressWarnings("unchecked")
    private void open() {
        String target = (String)
                send("Target.createTarget", Map.of("url", "about:blank")).get("targetId");
        session = (String) send("Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId");
        send("Page.enable", Map.of());
        send("Runtime.enable", Map.of());
        send("Log.enable", Map.of());
        viewport(1280, 900);
    }

    /** Sends a DevTools command to the page (or to the browser before a page is attached) and returns its result. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> send(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        if (!session.isEmpty()) {
            message.put("sessionId", session);
        }
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(Json.write(message), true).join();
        Map<String, Object> reply;
        try {
            reply = answer.get(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("DevTools command " + method + " got no answer: " + e, e);
        } finally {
            pending.remove(id);
        }
        if (reply.containsKey("error")) {
            throw new AssertionError("DevTools command " + method + " failed: " + reply.get("error"));
        }
        return (Map<String, Object>) reply.getOrDefault("result", Map.of());
    }

    /** Sets the page's size in CSS pixels (390 wide is a phone). */
    public void viewport(int width, int height) {
        send(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    }

    /** Loads {@code url} and waits until the document and its modules have loaded. */
    public void navigate(String url) {
        // Marks the old document, so that its readyState is not mistaken for the new one's.
        eval("window.__nexusLeaving = true");
        send("Page.navigate", Map.of("url", url));
        waitFor("!window.__nexusLeaving && document.readyState === 'complete'", "the page " + url + " to load");
    }

    /**
     * Evaluates {@code expression} in the page (promises are awaited) and returns its JSON value.
     *
     * @throws AssertionError when it throws, with the page's message
     */
    @SuppressWarnings("unchecked")
    public Object eval(String expression) {
        Map<String, Object> result =
                send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.containsKey("exceptionDetails")) {
            Map<String, Object> details = (Map<String, Object>) result.get("exceptionDetails");
            Object exception = details.get("exception");
            throw new AssertionError("the page threw evaluating «" + expression + "»: "
                    + (exception instanceof Map<?, ?> e ? e.get("description") : details.get("text")));
        }
        return ((Map<String, Object>) result.getOrDefault("result", Map.of())).get("value");
    }

    /** Returns the text content of the first element matching {@code selector}, or "" when there is none. */
    public String text(String selector) {
        Object text = eval("(() => { const e = document.querySelector(" + Json.write(selector)
                + "); return e ? e.textContent : ''; })()");
        return text == null ? "" : text.toString();
    }

    /**
     * Waits until {@code condition} (a JavaScript expression) is truthy. Fails after 20 s with
     * {@code what}, the page's alert and status lines and its console errors: a bounded wait, not a
     * timing assertion.
     */
    public void waitFor(String condition, String what) {
        Instant deadline = Instant.now().plus(WAIT_LIMIT);
        while (true) {
            Object value = eval("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()");
            if (Boolean.TRUE.equals(value)) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + WAIT_LIMIT.toSeconds() + " s for " + what + " (" + condition
                        + "); the page's alert: «" + text("#alert") + "», status: «" + text("#status") + "», console: "
                        + console);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Focuses the element matching {@code selector} and types {@code text} into it, as a keyboard would insert it. */
    public void type(String selector, String text) {
        waitFor("document.querySelector(" + Json.write(selector) + ")", selector + " to exist");
        eval("document.querySelector(" + Json.write(selector) + ").focus()");
        send("Input.insertText", Map.of("text", text));
    }

    /** Presses and releases Enter in the focused element. */
    public void pressEnter() {
        Map<String, Object> key = new LinkedHashMap<>(
                Map.of("key", "Enter", "code", "Enter", "windowsVirtualKeyCode", 13, "nativeVirtualKeyCode", 13));
        Map<String, Object> down = new LinkedHashMap<>(key);
        down.put("type", "keyDown");
        down.put("text", "\r");
        send("Input.dispatchKeyEvent", down);
        Map<String, Object> up = new LinkedHashMap<>(key);
        up.put("type", "keyUp");
        send("Input.dispatchKeyEvent", up);
    }

    /** Clicks the middle of the first visible element matching {@code selector} with the mouse. */
    @SuppressWarnings("unchecked")
    public void click(String selector) {
        String find = "[...document.querySelectorAll(" + Json.write(selector) + ")].find(e => e.offsetParent !== null)";
        waitFor(find, "a visible " + selector + " to click");
        Map<String, Object> box = (Map<String, Object>)
                eval(
                        "(() => { const e = " + find + "; e.scrollIntoView({block: 'center'});"
                                + " const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send(
                    "Input.dispatchMouseEvent",
                    Map.of("type", type, "x", box.get("x"), "y", box.get("y"), "button", "left", "clickCount", 1));
        }
    }

    /** Puts {@code file} into the file input matching {@code selector}, as choosing it in the file dialog would. */
    @SuppressWarnings("unchecked")
    public void upload(String selector, Path file) {
        Map<String, Object> root =
                (Map<String, Object>) send("DOM.getDocument", Map.of()).get("root");
        Object node = send("DOM.querySelector", Map.of("nodeId", root.get("nodeId"), "selector", selector))
                .get("nodeId");
        send(
                "DOM.setFileInputFiles",
                Map.of("nodeId", node, "files", List.of(file.toAbsolutePath().toString())));
    }

    /** Writes a PNG of the viewport to {@code file}. */
    public void screenshot(Path file) {
        String data =
                (String) send("Page.captureScreenshot", Map.of("format", "png")).get("data");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the console errors, uncaught exceptions and browser errors (CSP violations, failed loads)
     * the page reported so far. Failed API calls ({@code /v1/…}: a 404 the test asks for) are not counted.
     */
    public List<String> consoleErrors() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    @SuppressWarnings("unchecked")
    private void event(Map<String, Object> message) {
        String method = (String) message.get("method");
        Map<String, Object> params = (Map<String, Object>) message.getOrDefault("params", Map.of());
        switch (method) {
            case "Runtime.exceptionThrown" ->
                console.add("exception: "
                        + ((Map<String, Object>) params.getOrDefault("exceptionDetails", Map.of()))
                                .getOrDefault("exception", params));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(params.get("type"))) {
                    console.add("console.error: " + params.get("args"));
                }
            }
            // The browser's own errors: Content-Security-Policy violations, failed loads of the page's files.
            case "Log.entryAdded" -> {
                Map<String, Object> entry = (Map<String, Object>) params.getOrDefault("entry", Map.of());
                if ("error".equals(entry.get("level"))
                        && !String.valueOf(entry.get("url")).contains("/v1/")) {
                    console.add("browser: " + entry.get("text") + " (" + entry.get("url") + ")");
                }
            }
            // confirm() before forgetting or revoking: accept, as a user clicking OK would.
            case "Page.javascriptDialogOpening" ->
                Thread.ofVirtual().start(() -> send("Page.handleJavaScriptDialog", Map.of("accept", true)));
            default -> {}
        }
    }

    @Override
    public void close() {
        try {
            session = "";
            socket.sendText(Json.write(Map.of("id", ids.incrementAndGet(), "method", "Browser.close")), true)
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // killed below anyway
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(profile)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans up what is left
        }
    }

    /** Collects message fragments, answers pending commands and hands events to the browser. */
    private static final class Listener implements WebSocket.Listener {

        private final Chromium[] holder;
        private final StringBuilder buffer = new StringBuilder();

        Listener(Chromium[] holder) {
            this.holder = holder;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                Chromium browser = holder[0];
                if (browser != null) {
                    Map<String, Object> message = Json.readMap(text);
                    Object id = message.get("id");
                    if (id instanceof Number number) {
                        CompletableFuture<Map<String, Object>> answer = browser.pending.get(number.intValue());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    } else if (message.get("method") != null) {
                        browser.event(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
