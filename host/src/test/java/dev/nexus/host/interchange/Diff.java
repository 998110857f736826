package dev.nexus.host.interchange;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Lists the paths at which two values (records, maps, lists, scalars) differ; for readable failures. */
final class Diff {

    private Diff() {}

    static List<String> of(Object expected, Object actual) {
        List<String> out = new ArrayList<>();
        walk("", expected, actual, out);
        return out;
    }

    private static void walk(String path, Object a, Object b, List<String> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a != null && b != null && a.getClass().isRecord() && a.getClass() == b.getClass()) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                try {
                    walk(
                            path + "." + c.getName(),
                            c.getAccessor().invoke(a),
                            c.getAccessor().invoke(b),
                            out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<Object> keys = new HashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : keys) {
                walk(
                        path + "{" + k + "}",
                        ma.containsKey(k) ? ma.get(k) : "<absent>",
                        mb.containsKey(k) ? mb.get(k) : "<absent>",
                        out);
            }
            return;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
            for (int i = 0; i < la.size(); i++) {
                walk(path + "[" + i + "]", la.get(i), lb.get(i), out);
            }
            return;
        }
        out.add(path + ": expected " + brief(a) + " but was " + brief(b));
    }

    private static String brief(Object o) {
        String s = String.valueOf(o) + (o == null ? "" : " (" + o.getClass().getSimpleName() + ")");
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
