package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MentionsTest {

    @Test
    void aRelationInAQuestion_isFound_withTheWordsMemoriesUseForIt() {
        assertThat(Mentions.relations("Who is my sister engaged to?")).containsExactly("sister");
        assertThat(Mentions.relations("What do my sister and my brother do?")).containsExactly("sister", "brother");
        assertThat(Mentions.relations("Where does Ana live?")).isEmpty();
        assertThat(Mentions.wordsFor("dog")).contains("puppy");
    }

    @Test
    void theNameOfARelation_isReadFromTheUsersOwnWords_notFromSomeoneElses() {
        assertThat(Mentions.nameOf("sister", "My sister Ana works as a nurse in Bergen."))
                .contains("Ana");
        assertThat(Mentions.nameOf("sister", "my sister's name is Ana")).contains("Ana");
        assertThat(Mentions.nameOf("dog", "We adopted a beagle puppy and named her Luna!"))
                .contains("Luna");
        assertThat(Mentions.nameOf("dog", "Our neighbour's beagle is called Otto, he barks all night."))
                .isEmpty();
        assertThat(Mentions.nameOf("sister", "My sister called, we chatted for an hour."))
                .isEmpty();
    }

    @Test
    void aQuestionsRelation_isResolvedToItsName_forTheVectorSearch() {
        assertThat(Mentions.resolve("Who is my sister engaged to?", Map.of("sister", "Kasper")))
                .isEqualTo("Who is my sister Kasper engaged to?");
        assertThat(Mentions.resolve(
                        "What do my sister and my brother do?", Map.of("sister", "Ana", "brother", "Jonas")))
                .isEqualTo("What do my sister Ana and my brother Jonas do?");
        assertThat(Mentions.resolve("Is my sister Ana engaged?", Map.of("sister", "Ana")))
                .isEqualTo("Is my sister Ana engaged?");
        assertThat(Mentions.resolve("Where does my brother live?", Map.of("sister", "Ana")))
                .isEqualTo("Where does my brother live?");
    }

    @Test
    void aQuestionAboutTheUsersHomeOrJob_namesTheSlot_andWhetherItAsksForThePast() {
        assertThat(Mentions.slotQuestion("Which city do I live in now?"))
                .contains(new Mentions.SlotQuestion(Mentions.Slot.HOME, false));
        assertThat(Mentions.slotQuestion("Where did I live before I moved to Oslo?"))
                .contains(new Mentions.SlotQuestion(Mentions.Slot.HOME, true));
        assertThat(Mentions.slotQuestion("What is my job these days?"))
                .contains(new Mentions.SlotQuestion(Mentions.Slot.JOB, false));
        assertThat(Mentions.slotQuestion("Where does my brother live?")).isEmpty();
        assertThat(Mentions.slotQuestion("What breed is Luna?")).isEmpty();
    }

    @Test
    void statementsFillASlot_byTheirStoredSlot_orByTheRules() {
        assertThat(Mentions.fills(
                        Mentions.Slot.HOME,
                        Optional.empty(),
                        "We relocated again, to Bergen this time, closer to family."))
                .isTrue();
        assertThat(Mentions.fills(
                        Mentions.Slot.JOB,
                        Optional.empty(),
                        "I quit Statkraft; on Monday I start as a nurse at Harbour Pharmacy."))
                .isTrue();
        assertThat(Mentions.fills(
                        Mentions.Slot.HOME, Optional.empty(), "Sometimes I wonder if I'd be happier living in Oslo."))
                .isFalse();
        assertThat(Mentions.fills(Mentions.Slot.HOME, Optional.of("home"), "The user lives in Oslo"))
                .isTrue();
    }
}
