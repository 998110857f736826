package dev.nexus.host.schedules;

import dev.nexus.host.InvalidInputException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) read in a time
 * zone: {@code *}, numbers, ranges {@code a-b}, lists {@code a,b}, steps {@code * /n} and {@code a-b/n},
 * month and day names ({@code JAN}, {@code MON}), day-of-week 0 or 7 for Sunday, and the shorthands
 * {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly}. As in classic cron, when both day
 * fields are restricted a day matching either one matches. Immutable and thread-safe.
 */
final class Cron {

    private static final Map<String, String> SHORTHANDS = Map.of(
            "@hourly",
            "0 * * * *",
            "@daily",
            "0 0 * * *",
            "@midnight",
            "0 0 * * *",
            "@weekly",
            "0 0 * * 0",
            "@monthly",
            "0 0 1 * *",
            "@yearly",
            "0 0 1 1 *");
    private static final String[] MONTHS = {
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
    };
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    private static final int SEARCH_DAYS = 366 * 5;

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private Cron(String expression, String[] fields) {
        this.expression = expression;
        this.minutes = field(fields[0], 0, 59, null, "minute");
        this.hours = field(fields[1], 0, 23, null, "hour");
        this.daysOfMonth = field(fields[2], 1, 31, null, "day of month");
        this.months = field(fields[3], 1, 12, MONTHS, "month");
        BitSet dow = field(fields[4], 0, 7, DAYS, "day of week");
        if (dow.get(7)) {
            dow.set(0);
        }
        this.daysOfWeek = dow;
        this.anyDayOfMonth = fields[2].equals("*") || fields[2].equals("?");
        this.anyDayOfWeek = fields[4].equals("*") || fields[4].equals("?");
    }

    /**
     * Parses {@code expression}.
     *
     * @throws InvalidInputException naming the field at fault and the form expected
     */
    static Cron parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidInputException(
                    "field 'cron' is required: five fields 'minute hour day month weekday', e.g. '0 8 * * 1-5'");
        }
        String text = expression.strip().toLowerCase(Locale.ROOT);
        String[] fields = SHORTHANDS.getOrDefault(text, expression.strip()).split("\\s+");
        if (fields.length != 5) {
            throw new InvalidInputException(
                    "field 'cron' must have five fields 'minute hour day month weekday' (e.g. '0 8 * * 1-5' "
                            + "for 08:00 on weekdays), got " + fields.length + " in '"
                            + InvalidInputException.cap(expression) + "'");
        }
        return new Cron(expression.strip(), fields);
    }

    /** Returns the first matching minute strictly after {@code after}, in {@code zone}; empty when none within five years. */
    Optional<ZonedDateTime> next(ZonedDateTime after, ZoneId zone) {
        LocalDateTime start = after.withZoneSameInstant(zone)
                .toLocalDateTime()
                .withSecond(0)
                .withNano(0)
                .plusMinutes(1);
        LocalDate day = start.toLocalDate();
        for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
            if (!months.get(day.getMonthValue()) || !dayMatches(day)) {
                continue;
            }
            LocalTime from = i == 0 ? start.toLocalTime() : LocalTime.MIDNIGHT;
            for (int h = hours.nextSetBit(from.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
                int m0 = h == from.getHour() ? from.getMinute() : 0;
                int m = minutes.nextSetBit(m0);
                if (m >= 0) {
                    ZonedDateTime candidate = day.atTime(h, m).atZone(zone);
                    // A time in a daylight-saving gap moves forward; it must still be after 'after'.
                    if (candidate.isAfter(after)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate day) {
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth && anyDayOfWeek) {
            return true;
        }
        if (anyDayOfMonth) {
            return dow;
        }
        if (anyDayOfWeek) {
            return dom;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return expression;
    }

    private static BitSet field(String text, int min, int max, String[] names, String what) {
        BitSet set = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, max, null, what, text);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = number(ends[0], min, max, names, what, text);
                to = number(ends[1], min, max, names, what, text);
                if (to < from) {
                    throw invalid(what, text, "a range must go upwards");
                }
            } else {
                from = number(range, min, max, names, what, text);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String text, int min, int max, String[] names, String what, String field) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(text)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw invalid(what, field, "values are " + min + "-" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(what, field, "expected a number" + (names == null ? "" : " or a name such as " + names[1]));
        }
    }

    private static InvalidInputException invalid(String what, String field, String why) {
        return new InvalidInputException(
                "field 'cron': the " + what + " field '" + InvalidInputException.cap(field) + "' is invalid: " + why);
    }
}
