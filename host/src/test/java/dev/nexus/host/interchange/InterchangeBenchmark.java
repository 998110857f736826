package dev.nexus.host.interchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * Import and export speed on real-world-shaped cards, each against a baseline measured in the same
 * run: the bare Jackson tree parse of the same card JSON (the least any JSON import can do) and a
 * bare CRC-32 over the same PNG bytes (the least a CRC-checking PNG reader can do).
 *
 * <p>Run from the repository root:
 * {@code ./nexus bench dev.nexus.host.interchange.InterchangeBenchmark [batches]}.
 */
public final class InterchangeBenchmark {

    private static volatile Object sink;

    private InterchangeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        Interchange interchange = new Interchange(InterchangeLimits.defaults());
        ObjectMapper jackson = new ObjectMapper();
        byte[] cardJson = Fixtures.resource("st-v2-mirela.json");
        Imported mirela = interchange.importBytes(cardJson, "mirela.json");
        byte[] cardPng = interchange
                .export(mirela.personality(), Optional.empty(), ExportFormat.PNG)
                .bytes();
        byte[] bigPng = bigPng(cardJson, 4 << 20);
        byte[] charx = interchange
                .export(mirela.personality(), Optional.of(Avatar.of(cardPng)), ExportFormat.CHARX)
                .bytes();
        Avatar avatar = new Avatar(
                PngContainer.read(bigPng, InterchangeLimits.defaults()).avatar(), "image/png");

        Map<String, double[]> results = new LinkedHashMap<>();
        results.put("baseline: Jackson readTree of the card JSON (26 KB)", time(batches, 200, () -> {
            try {
                return jackson.readTree(cardJson);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        results.put(
                "import V2 card JSON (26 KB, 6 lore entries)",
                time(batches, 200, () -> interchange.importBytes(cardJson, "c")));
        results.put(
                "import PNG card (placeholder image)", time(batches, 200, () -> interchange.importBytes(cardPng, "c")));
        results.put("import CHARX card", time(batches, 200, () -> interchange.importBytes(charx, "c")));
        results.put(
                "export ccv3 JSON",
                time(
                        batches,
                        200,
                        () -> interchange.export(mirela.personality(), Optional.empty(), ExportFormat.CCV3)));
        results.put("baseline: CRC-32 over a 4 MiB PNG", time(batches, 10, () -> crc(bigPng)));
        results.put("import PNG card (4 MiB image)", time(batches, 10, () -> interchange.importBytes(bigPng, "c")));
        results.put(
                "export PNG into a 4 MiB avatar",
                time(
                        batches,
                        10,
                        () -> interchange.export(mirela.personality(), Optional.of(avatar), ExportFormat.PNG)));

        double jsonBase = results.get("baseline: Jackson readTree of the card JSON (26 KB)")[0];
        double crcBase = results.get("baseline: CRC-32 over a 4 MiB PNG")[0];
        System.out.printf("%-52s %12s %12s %8s%n", "operation", "median µs", "p99 µs", "ratio");
        results.forEach((name, r) -> {
            double base = name.contains("4 MiB") ? crcBase : jsonBase;
            System.out.printf("%-52s %12.1f %12.1f %7.1fx%n", name, r[0], r[1], r[0] / base);
        });
    }

    /** Runs {@code batches} batches of {@code perBatch} calls after a warm-up; returns median and p99 µs per call. */
    private static double[] time(int batches, int perBatch, Supplier<Object> op) {
        for (int i = 0; i < batches * perBatch / 2; i++) {
            sink = op.get();
        }
        List<Double> perCall = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                sink = op.get();
            }
            perCall.add((System.nanoTime() - start) / 1000.0 / perBatch);
        }
        Collections.sort(perCall);
        return new double[] {perCall.get(perCall.size() / 2), perCall.get((int) Math.ceil(perCall.size() * 0.99) - 1)};
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** A structurally valid PNG with an incompressible IDAT of {@code size} bytes and the card in a chara chunk. */
    private static byte[] bigPng(byte[] cardJson, int size) {
        byte[] noise = new byte[size];
        new SplittableRandom(1).nextBytes(noise);
        return Fixtures.png(Fixtures.chunk("IDAT", noise), Fixtures.cardChunk("chara", cardJson));
    }
}
