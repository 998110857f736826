package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleFactExtractorTest {

    private static List<String> facts(String text) {
        return FactExtractor.rules().extract(text, "").stream()
                .map(ExtractedFact::text)
                .toList();
    }

    @Test
    void extract_twoStatementsJoinedByAnd_findsBoth() {
        List<ExtractedFact> found = FactExtractor.rules().extract("I'm vegetarian and I live in Lisbon", "");

        assertThat(found)
                .extracting(ExtractedFact::text)
                .containsExactly("The user is vegetarian", "The user lives in Lisbon");
        assertThat(found).extracting(ExtractedFact::category).containsExactly(FactCategory.DIET, FactCategory.LOCATION);
        assertThat(found).extracting(ExtractedFact::slot).containsExactly(Optional.of("diet"), Optional.of("home"));
        assertThat(found)
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.confidence()).isGreaterThan(0.8));
    }

    @Test
    void extract_commonStatements_becomeThirdPersonFacts() {
        assertThat(facts("Hi! My name is Ana Sousa. I work as a nurse, because I like people."))
                .containsExactly("The user's name is Ana Sousa", "The user works as nurse", "The user likes people");
        assertThat(facts("I prefer my coffee black")).containsExactly("The user prefers their coffee black");
        assertThat(facts("My favourite band is Radiohead")).containsExactly("The user's favourite band is Radiohead");
        assertThat(facts("I'm allergic to peanuts")).containsExactly("The user is allergic to peanuts");
        assertThat(facts("I have a dog named Biscuit")).containsExactly("The user has a dog named Biscuit");
        assertThat(facts("I moved to Porto last year")).containsExactly("The user lives in Porto");
    }

    @Test
    void extract_questionsAndNegations_areNotFacts() {
        assertThat(facts("Do you think I live in the right city?")).isEmpty();
        assertThat(facts("I'm not vegetarian")).isEmpty();
        assertThat(facts("I don't think I prefer tea")).isEmpty();
        assertThat(facts("What's the weather like?")).isEmpty();
        assertThat(facts("My sister is Eva")).containsExactly("The user's sister is Eva");
    }

    @Test
    void extract_emptyOrCutShortValues_areNotFacts() {
        assertThat(facts("I like to")).isEmpty();
        assertThat(facts("I love it")).isEmpty();
        assertThat(facts("I really like the, um, never mind")).isEmpty();
        assertThat(facts("I love you")).isEmpty();
        assertThat(facts("I like to run")).containsExactly("The user likes to run");
    }

    @Test
    void extract_movesAndNewJobs_fillTheHomeAndJobSlots() {
        assertThat(FactExtractor.rules().extract("We relocated again, to Bergen this time, closer to family.", ""))
                .extracting(ExtractedFact::text, ExtractedFact::slot)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("The user lives in Bergen", Optional.of("home")));
        assertThat(FactExtractor.rules()
                        .extract("I quit my job; on Monday I start as a nurse at the city hospital.", ""))
                .extracting(ExtractedFact::slot)
                .containsExactly(Optional.of("job"));
    }

    @Test
    void extract_curlyApostrophes_areUnderstood() {
        assertThat(facts("I\u2019m vegan")).containsExactly("The user is vegan");
    }

    @Test
    void extract_aPastEventWithItsDay_isAnEventFactCarryingTheWordsThatDateIt() {
        List<ExtractedFact> found = FactExtractor.rules().extract("I went to the support group yesterday", "");

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.text()).isEqualTo("The user went to the support group");
            assertThat(f.category()).isEqualTo(FactCategory.EVENT);
            assertThat(f.when()).contains("yesterday");
            assertThat(f.about()).isEmpty();
        });
        assertThat(facts("Last Friday we finally climbed Romsdalseggen"))
                .containsExactly("The user and others climbed Romsdalseggen");
        assertThat(facts("I went to the support group")).as("no day: no event").isEmpty();
        assertThat(facts("I went there yesterday"))
                .as("says nothing beyond the verb")
                .isEmpty();
        assertThat(facts("I didn't go to the gym yesterday")).isEmpty();
        assertThat(facts("Did I go to the gym yesterday?")).isEmpty();
    }

    @Test
    void extract_whatTheUserSaysOfSomeoneElse_isAboutThatPerson_notTheUser() {
        List<ExtractedFact> found = FactExtractor.rules().extract("My sister Ana is a nurse", "");

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.text()).isEqualTo("The user's sister Ana is a nurse");
            assertThat(f.category()).isEqualTo(FactCategory.RELATIONSHIP);
            assertThat(f.about()).contains(new Person("sister", "Ana"));
            assertThat(f.slot()).contains("person:ana:job");
        });
        assertThat(FactExtractor.rules().extract("my brother moved to Bergen last weekend", ""))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.text()).isEqualTo("The user's brother moved to Bergen");
                    assertThat(f.category()).isEqualTo(FactCategory.EVENT);
                    assertThat(f.when()).contains("last weekend");
                    assertThat(f.about()).contains(new Person("brother", ""));
                });
        assertThat(facts("My sister is getting married")).containsExactly("The user's sister is getting married");
        assertThat(FactExtractor.rules().extract("My sister is Eva", ""))
                .singleElement()
                .satisfies(f -> assertThat(f.about()).contains(new Person("sister", "Eva")));
        assertThat(facts("my sister is")).isEmpty();
    }
}
