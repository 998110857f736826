package dev.nexus.host.interchange;

import dev.nexus.host.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats a personality can be exported in ({@code ?format=} of the export endpoint). */
public enum ExportFormat {
    /** Nexus's own format. */
    NATIVE("native"),
    /** Character Card V2 JSON. */
    CCV2("ccv2"),
    /** Character Card V3 JSON. */
    CCV3("ccv3"),
    /** A PNG with {@code ccv3} and {@code chara} (V2 back-fill) tEXt chunks. */
    PNG("png"),
    /** A CHARX zip: {@code card.json} (V3) and the assets. */
    CHARX("charx");

    private final String label;

    ExportFormat(String label) {
        this.label = label;
    }

    /** The name used in URLs, e.g. {@code ccv3}. */
    public String label() {
        return label;
    }

    /**
     * Returns the format named {@code label} (case-insensitive).
     *
     * @throws InvalidInputException naming the accepted formats
     */
    public static ExportFormat parse(String label) {
        String wanted = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(f -> f.label.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("export format '" + InvalidInputException.cap(label)
                        + "' is not known; use one of "
                        + Arrays.stream(values()).map(ExportFormat::label).collect(Collectors.joining(", "))));
    }
}
