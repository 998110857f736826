package dev.nexus.host.sandbox;

import dev.nexus.api.evolution.FeedbackSample;
import dev.nexus.api.evolution.FitnessRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link FitnessRequest} as wire JSON: encoded by the host, decoded by the child. A rating of NaN
 * (no rating) travels as null. Depends on the JDK and the plugin API only. Stateless.
 */
final class RequestCodec {

    private RequestCodec() {}

    static Map<String, Object> encode(FitnessRequest request) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("personality", request.personality());
        map.put("traits", request.traits());
        List<Object> candidates = new ArrayList<>();
        for (double[] candidate : request.candidates()) {
            candidates.add(candidate.clone());
        }
        map.put("candidates", candidates);
        List<Object> evidence = new ArrayList<>();
        for (FeedbackSample sample : request.evidence()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("traits", sample.traits());
            s.put("rating", sample.rated() ? (Object) sample.rating() : null);
            s.put("critiques", new LinkedHashMap<>(sample.critiques()));
            s.put("replyLength", (long) sample.replyLength());
            s.put("userMessageLength", (long) sample.userMessageLength());
            evidence.add(s);
        }
        map.put("evidence", evidence);
        map.put("seed", request.seed());
        return map;
    }

    /** Decodes what {@link #encode} wrote; throws IllegalArgumentException or ClassCastException on other input. */
    static FitnessRequest decode(Map<?, ?> map) {
        List<String> traits = new ArrayList<>();
        for (Object trait : (List<?>) map.get("traits")) {
            traits.add((String) trait);
        }
        List<double[]> candidates = new ArrayList<>();
        for (Object candidate : (List<?>) map.get("candidates")) {
            candidates.add(doubles((List<?>) candidate));
        }
        List<FeedbackSample> evidence = new ArrayList<>();
        for (Object item : (List<?>) map.get("evidence")) {
            Map<?, ?> s = (Map<?, ?>) item;
            Map<String, Integer> critiques = new LinkedHashMap<>();
            for (Map.Entry<?, ?> c : ((Map<?, ?>) s.get("critiques")).entrySet()) {
                critiques.put((String) c.getKey(), ((Number) c.getValue()).intValue());
            }
            Object rating = s.get("rating");
            evidence.add(new FeedbackSample(
                    doubles((List<?>) s.get("traits")),
                    rating == null ? Double.NaN : ((Number) rating).doubleValue(),
                    critiques,
                    ((Number) s.get("replyLength")).intValue(),
                    ((Number) s.get("userMessageLength")).intValue()));
        }
        return new FitnessRequest(
                (String) map.get("personality"), traits, candidates, evidence, ((Number) map.get("seed")).longValue());
    }

    private static double[] doubles(List<?> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).doubleValue();
        }
        return out;
    }
}
