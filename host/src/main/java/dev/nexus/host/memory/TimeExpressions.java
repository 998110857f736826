package dev.nexus.host.memory;

import dev.nexus.host.InvalidInputException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates in what people ask: resolves simple temporal expressions of a query ("in May 2023", "last
 * May", "in 2023", "yesterday", "last week", "two weeks ago", "3 months ago", "2023-05-14") to a time
 * range in the user's time zone, and parses the instants the API accepts. English only; the first
 * expression found wins. Stateless.
 */
final class TimeExpressions {

    /** A half-open range [since, until). */
    record Range(Instant since, Instant until) {}

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("a", 1),
            Map.entry("an", 1),
            Map.entry("one", 1),
            Map.entry("two", 2),
            Map.entry("three", 3),
            Map.entry("four", 4),
            Map.entry("five", 5),
            Map.entry("six", 6),
            Map.entry("seven", 7),
            Map.entry("eight", 8),
            Map.entry("nine", 9),
            Map.entry("ten", 10),
            Map.entry("eleven", 11),
            Map.entry("twelve", 12));
    private static final String MONTHS =
            "january|february|march|april|may|june|july|august|september|october|november|december";
    private static final Pattern ISO_DAY = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
    private static final Pattern MONTH_YEAR = Pattern.compile("\\b(" + MONTHS + ")\\s+(?:of\\s+)?((?:19|20)\\d{2})\\b");
    private static final Pattern LAST_MONTH_NAME = Pattern.compile("\\b(last|this|in)\\s+(" + MONTHS + ")\\b");
    private static final Pattern YEAR = Pattern.compile("\\b(?:in|during|of)\\s+((?:19|20)\\d{2})\\b");
    private static final Pattern AGO =
            Pattern.compile("\\b(\\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
                    + "eleven|twelve)\\s+(day|week|month|year)s?\\s+ago\\b");
    private static final Pattern RELATIVE =
            Pattern.compile("\\b(yesterday|today|(?:last|this)\\s+(?:week|month|year))\\b");

    private static final String WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";

    /**
     * The words that date an event to one day, as people say them of the past: "yesterday", "last
     * night", "this morning", "on Tuesday", "last Friday", "three days ago", "a week ago", "last
     * weekend", "on 2024-03-01". Vaguer spans ("last week", "in May") date no event.
     */
    static final Pattern EVENT_DAY = Pattern.compile(
            "\\b(?:the day before yesterday|yesterday(?: (?:morning|afternoon|evening|night))?|last night|"
                    + "(?:earlier )?today|this (?:morning|afternoon|evening)|tonight|"
                    + "(?:on|last|this past) (?:" + WEEKDAYS + ")|"
                    + "(?:\\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten) (?:days?|weeks?) ago|"
                    + "last weekend|on \\d{4}-\\d{2}-\\d{2})\\b",
            Pattern.CASE_INSENSITIVE);

    private TimeExpressions() {}

    /**
     * Returns the day {@code when} (words {@link #EVENT_DAY} finds) names, said on {@code today}: a
     * weekday is the last one before today, "last weekend" its Saturday.
     */
    static Optional<LocalDate> eventDay(String when, LocalDate today) {
        Matcher found = EVENT_DAY.matcher(when);
        if (!found.find()) {
            return Optional.empty();
        }
        String w = found.group().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (w.startsWith("the day before")) {
            return Optional.of(today.minusDays(2));
        }
        if (w.startsWith("yesterday") || w.equals("last night")) {
            return Optional.of(today.minusDays(1));
        }
        if (w.contains("today") || w.startsWith("this ") && !w.startsWith("this past") || w.equals("tonight")) {
            return Optional.of(today);
        }
        if (w.equals("last weekend")) {
            return Optional.of(today.with(TemporalAdjusters.previous(java.time.DayOfWeek.SATURDAY)));
        }
        Matcher iso = ISO_DAY.matcher(w);
        if (iso.find()) {
            try {
                return Optional.of(LocalDate.of(
                        Integer.parseInt(iso.group(1)),
                        Integer.parseInt(iso.group(2)),
                        Integer.parseInt(iso.group(3))));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        if (w.endsWith(" ago")) {
            String[] parts = w.split(" ");
            int n = parts[0].chars().allMatch(Character::isDigit) ? Integer.parseInt(parts[0]) : NUMBERS.get(parts[0]);
            return Optional.of(parts[1].startsWith("week") ? today.minusWeeks(n) : today.minusDays(n));
        }
        String day = w.substring(w.lastIndexOf(' ') + 1);
        return Optional.of(
                today.with(TemporalAdjusters.previous(java.time.DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT)))));
    }

    /** Returns the range the first temporal expression of {@code text} means, seen at {@code now} in {@code zone}. */
    static Optional<Range> resolve(String text, Instant now, ZoneId zone) {
        String q = text.toLowerCase(Locale.ROOT);
        ZonedDateTime at = now.atZone(zone);
        LocalDate today = at.toLocalDate();
        Matcher m = ISO_DAY.matcher(q);
        if (m.find()) {
            try {
                LocalDate day = LocalDate.of(
                        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                return Optional.of(days(day, 1, zone));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        m = MONTH_YEAR.matcher(q);
        if (m.find()) {
            return Optional.of(month(LocalDate.of(Integer.parseInt(m.group(2)), month(m.group(1)), 1), zone));
        }
        m = LAST_MONTH_NAME.matcher(q);
        if (m.find() && !(m.group(2).equals("may") && m.group(1).equals("this"))) { // "this may be…" is no date
            Month month = month(m.group(2));
            int year = today.getYear();
            boolean last = m.group(1).equals("last");
            if (month.getValue() > today.getMonthValue() || (last && month.getValue() == today.getMonthValue())) {
                year--;
            }
            return Optional.of(month(LocalDate.of(year, month, 1), zone));
        }
        m = YEAR.matcher(q);
        if (m.find()) {
            LocalDate first = LocalDate.of(Integer.parseInt(m.group(1)), 1, 1);
            return Optional.of(new Range(start(first, zone), start(first.plusYears(1), zone)));
        }
        m = AGO.matcher(q);
        if (m.find()) {
            int n = m.group(1).chars().allMatch(Character::isDigit)
                    ? Integer.parseInt(m.group(1))
                    : NUMBERS.get(m.group(1));
            return Optional.of(
                    switch (m.group(2)) {
                        case "day" -> days(today.minusDays(n), 1, zone);
                        case "week" -> days(today.minusWeeks(n).minusDays(3), 7, zone);
                        case "month" -> month(today.minusMonths(n).withDayOfMonth(1), zone);
                        default -> {
                            LocalDate first = today.minusYears(n).withDayOfYear(1);
                            yield new Range(start(first, zone), start(first.plusYears(1), zone));
                        }
                    });
        }
        m = RELATIVE.matcher(q);
        if (m.find()) {
            String what = m.group(1).replaceAll("\\s+", " ");
            return Optional.of(
                    switch (what) {
                        case "yesterday" -> days(today.minusDays(1), 1, zone);
                        case "today" -> days(today, 1, zone);
                        case "last week" ->
                            days(
                                    today.minusWeeks(1)
                                            .with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)),
                                    7,
                                    zone);
                        case "this week" ->
                            days(today.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)), 7, zone);
                        case "last month" -> month(today.minusMonths(1).withDayOfMonth(1), zone);
                        case "this month" -> month(today.withDayOfMonth(1), zone);
                        case "last year" ->
                            new Range(
                                    start(today.minusYears(1).withDayOfYear(1), zone),
                                    start(today.withDayOfYear(1), zone));
                        default ->
                            new Range(
                                    start(today.withDayOfYear(1), zone),
                                    start(today.withDayOfYear(1).plusYears(1), zone));
                    });
        }
        return Optional.empty();
    }

    /**
     * Parses an instant the API accepts: ISO-8601 with an offset ({@code 2023-05-14T10:00:00Z},
     * {@code 2023-05-14T12:00:00+02:00}) or a date ({@code 2023-05-14}, taken as midnight UTC).
     *
     * @throws InvalidInputException naming {@code field} and the forms accepted
     */
    static Instant parseInstant(String value, String field) {
        String v = value.strip();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(
                    "field '" + field + "' must be an ISO-8601 time such as 2023-05-14T10:00:00Z "
                            + "or a date such as 2023-05-14, got '" + InvalidInputException.cap(v) + "'");
        }
    }

    private static Month month(String name) {
        return Month.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static Range month(LocalDate first, ZoneId zone) {
        return new Range(start(first, zone), start(first.plusMonths(1), zone));
    }

    private static Range days(LocalDate first, int count, ZoneId zone) {
        return new Range(start(first, zone), start(first.plus(count, ChronoUnit.DAYS), zone));
    }

    private static Instant start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }
}
