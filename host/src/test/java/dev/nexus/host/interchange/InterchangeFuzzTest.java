package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.fail;

import dev.nexus.host.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded mutation fuzzer over the PNG, CHARX and JSON parsers: every mutated input must either
 * import or fail with {@link InvalidInputException}; any other exception (or a hang, caught by the
 * timeout) fails the test with the seed and iteration that reproduce it.
 *
 * <p>Runs {@value #DEFAULT_ITERATIONS} iterations in the suite (a few seconds). For a long run:
 * {@code ./mvnw -o -pl host test -Dtest=InterchangeFuzzTest -Dnexus.fuzz.iterations=500000 -Dnexus.fuzz.seed=7}.
 */
class InterchangeFuzzTest {

    private static final int DEFAULT_ITERATIONS = 4000;

    private final Interchange interchange =
            new Interchange(new InterchangeLimits(0, 1 << 20, 0, 1 << 20, 512, 64, 4L << 20, 2000));

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void mutatedInputs_onlyEverFailWithInvalidInput() {
        long seed = Long.getLong("nexus.fuzz.seed", 20_240_501L);
        int iterations = Integer.getInteger("nexus.fuzz.iterations", DEFAULT_ITERATIONS);
        List<byte[]> corpus = corpus();
        SplittableRandom random = new SplittableRandom(seed);
        int imported = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] base = corpus.get(random.nextInt(corpus.size()));
            byte[] input = mutate(base, random, 1 + random.nextInt(4));
            try {
                Imported result = interchange.importBytes(input, "fuzz");
                // What imports must also export without failing.
                interchange.export(
                        result.personality(), result.avatar(), ExportFormat.values()[i % ExportFormat.values().length]);
                imported++;
            } catch (InvalidInputException expected) {
                // The one acceptable failure.
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail(
                        "seed " + seed + ", iteration " + i + ": " + e + " (input of " + input.length + " bytes from a "
                                + describe(base) + ")",
                        e);
            }
            try {
                interchange.importLorebook(input, "fuzz");
            } catch (InvalidInputException expected) {
                // Fine.
            } catch (RuntimeException | StackOverflowError e) {
                fail("seed " + seed + ", iteration " + i + " (lorebook): " + e, e);
            }
        }
        if (imported == 0) {
            fail("no mutated input imported at all in " + iterations
                    + " iterations: the mutations are too destructive to" + " reach the card readers");
        }
    }

    private static List<byte[]> corpus() {
        List<byte[]> corpus = new ArrayList<>();
        Interchange plain = new Interchange(Fixtures.LIMITS);
        for (String file : List.of(
                "st-v2-mirela.json",
                "v3-kaito.json",
                "v1-old-tom.json",
                "chub-v2-nessa.json",
                "eliza-v0-quill.json",
                "eliza-v1-orin.json",
                "eliza-v2-vesper.json",
                "world-info-saltreach.json",
                "lorebook-v3-canal.json")) {
            corpus.add(Fixtures.resource(file));
        }
        Imported kaito = plain.importBytes(Fixtures.resource("v3-kaito.json"), "kaito");
        corpus.add(plain.export(kaito.personality(), Optional.empty(), ExportFormat.PNG)
                .bytes());
        corpus.add(Fixtures.png(Fixtures.cardChunk("chara", Fixtures.resource("v1-old-tom.json"))));
        Map<String, byte[]> charx = new LinkedHashMap<>();
        charx.put("card.json", Fixtures.resource("v3-kaito.json"));
        charx.put("assets/icon/images/main.png", Fixtures.png());
        charx.put("assets/emotion/images/happy.png", new byte[] {1, 2, 3, 4});
        corpus.add(Fixtures.zip(charx));
        return corpus;
    }

    /** Applies {@code count} random mutations: bit flips, byte overwrites, truncation, insertion, duplication, big ints. */
    static byte[] mutate(byte[] input, SplittableRandom random, int count) {
        byte[] out = input.clone();
        for (int m = 0; m < count && out.length > 0; m++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(7)) {
                case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> out[at] = (byte) random.nextInt(256);
                case 2 -> out = Arrays.copyOf(out, at);
                case 3 -> {
                    byte[] insert = new byte[1 + random.nextInt(16)];
                    for (int i = 0; i < insert.length; i++) {
                        insert[i] = (byte) "{}[]\":,0e-\\nul@<>/.".charAt(random.nextInt(19));
                    }
                    out = splice(out, at, insert);
                }
                case 4 -> {
                    int length = Math.min(out.length - at, 1 + random.nextInt(64));
                    out = splice(out, random.nextInt(out.length), Arrays.copyOfRange(out, at, at + length));
                }
                case 5 -> {
                    if (at + 4 <= out.length) {
                        int value = random.nextBoolean() ? Integer.MAX_VALUE : random.nextInt();
                        out[at] = (byte) (value >>> 24);
                        out[at + 1] = (byte) (value >>> 16);
                        out[at + 2] = (byte) (value >>> 8);
                        out[at + 3] = (byte) value;
                    }
                }
                default -> {
                    int length = Math.min(out.length - at, 1 + random.nextInt(32));
                    byte[] shorter = new byte[out.length - length];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + length, shorter, at, out.length - at - length);
                    out = shorter;
                }
            }
        }
        return out;
    }

    private static byte[] splice(byte[] out, int at, byte[] insert) {
        byte[] longer = new byte[out.length + insert.length];
        System.arraycopy(out, 0, longer, 0, at);
        System.arraycopy(insert, 0, longer, at, insert.length);
        System.arraycopy(out, at, longer, at + insert.length, out.length - at);
        return longer;
    }

    private static String describe(byte[] base) {
        if (PngContainer.isPng(base)) {
            return "PNG";
        }
        return CharxContainer.isZip(base) ? "CHARX" : "JSON file";
    }
}
