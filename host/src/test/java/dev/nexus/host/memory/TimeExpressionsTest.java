package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeExpressionsTest {

    private static final Instant NOW = Instant.parse("2024-06-20T10:00:00Z");
    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

    private static Optional<TimeExpressions.Range> resolve(String text, ZoneId zone) {
        return TimeExpressions.resolve(text, NOW, zone);
    }

    @Test
    void aMonthAndYear_isThatMonthInTheUsersTimeZone() {
        assertThat(resolve("What did she do in May 2023?", OSLO))
                .contains(new TimeExpressions.Range(
                        Instant.parse("2023-04-30T22:00:00Z"), Instant.parse("2023-05-31T22:00:00Z")));
    }

    @Test
    void lastMay_isTheMostRecentMayBeforeNow_andAMonthStillToComeIsLastYears() {
        assertThat(resolve("where did I go last may", ZoneOffset.UTC))
                .contains(new TimeExpressions.Range(
                        Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-06-01T00:00:00Z")));
        assertThat(resolve("in August", ZoneOffset.UTC))
                .contains(new TimeExpressions.Range(
                        Instant.parse("2023-08-01T00:00:00Z"), Instant.parse("2023-09-01T00:00:00Z")));
        assertThat(resolve("last June", ZoneOffset.UTC))
                .contains(new TimeExpressions.Range(
                        Instant.parse("2023-06-01T00:00:00Z"), Instant.parse("2023-07-01T00:00:00Z")));
    }

    @Test
    void relativeExpressions_countBackFromNow() {
        assertThat(resolve("what happened two weeks ago?", ZoneOffset.UTC))
                .contains(new TimeExpressions.Range(
                        Instant.parse("2024-06-03T00:00:00Z"), Instant.parse("2024-06-10T00:00:00Z")));
        assertThat(resolve("yesterday", ZoneOffset.UTC))
                .contains(new TimeExpressions.Range(
                        Instant.parse("2024-06-19T00:00:00Z"), Instant.parse("2024-06-20T00:00:00Z")));
        assertThat(resolve("and in 2023?", ZoneOffset.UTC))
                .contains(new TimeExpressions.Range(
                        Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z")));
    }

    @Test
    void textWithoutADate_resolvesToNothing_includingTheModalMay() {
        assertThat(resolve("this may be a silly question about my dog", ZoneOffset.UTC))
                .isEmpty();
        assertThat(resolve("where do I live now?", ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void parseInstant_takesTimesAndDates_andNamesTheFieldWhenItCannot() {
        assertThat(TimeExpressions.parseInstant("2023-05-14", "occurredAt"))
                .isEqualTo(Instant.parse("2023-05-14T00:00:00Z"));
        assertThat(TimeExpressions.parseInstant("2023-05-14T12:00:00+02:00", "occurredAt"))
                .isEqualTo(Instant.parse("2023-05-14T10:00:00Z"));
        assertThatThrownBy(() -> TimeExpressions.parseInstant("last Tuesday", "facts[2].occurredAt"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("facts[2].occurredAt")
                .hasMessageContaining("2023-05-14");
    }

    @Test
    void anEventsDay_isTheDayItsWordsName_seenFromTheDayItWasSaid() {
        java.time.LocalDate friday = java.time.LocalDate.of(2024, 3, 1);

        assertThat(TimeExpressions.eventDay("yesterday", friday)).contains(friday.minusDays(1));
        assertThat(TimeExpressions.eventDay("last night", friday)).contains(friday.minusDays(1));
        assertThat(TimeExpressions.eventDay("this morning", friday)).contains(friday);
        assertThat(TimeExpressions.eventDay("the day before yesterday", friday)).contains(friday.minusDays(2));
        assertThat(TimeExpressions.eventDay("on Tuesday", friday)).contains(java.time.LocalDate.of(2024, 2, 27));
        assertThat(TimeExpressions.eventDay("last Friday", friday)).contains(java.time.LocalDate.of(2024, 2, 23));
        assertThat(TimeExpressions.eventDay("three days ago", friday)).contains(java.time.LocalDate.of(2024, 2, 27));
        assertThat(TimeExpressions.eventDay("2 weeks ago", friday)).contains(java.time.LocalDate.of(2024, 2, 16));
        assertThat(TimeExpressions.eventDay("last weekend", friday)).contains(java.time.LocalDate.of(2024, 2, 24));
        assertThat(TimeExpressions.eventDay("on 2023-05-14", friday)).contains(java.time.LocalDate.of(2023, 5, 14));
        assertThat(TimeExpressions.eventDay("last week", friday))
                .as("too vague for a day")
                .isEmpty();
    }
}
