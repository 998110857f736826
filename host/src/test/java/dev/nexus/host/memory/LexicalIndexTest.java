package dev.nexus.host.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LexicalIndexTest {

    @Test
    void search_ranksARareWordAboveACommonOne_andKeepsUsersApart() {
        LexicalIndex index = new LexicalIndex();
        index.put("ana", "1", "I went for a walk today");
        index.put("ana", "2", "A long walk by the river");
        index.put("ana", "3", "My sister Ingrid went for a walk");
        index.put("bo", "4", "Ingrid called me");

        assertThat(index.search("ana", "walk with Ingrid", 10, id -> true))
                .extracting(LexicalIndex.Scored::id)
                .startsWith("3")
                .doesNotContain("4");
        assertThat(index.search("bo", "Ingrid", 10, id -> true))
                .extracting(LexicalIndex.Scored::id)
                .containsExactly("4");
    }

    @Test
    void search_neverReturnsDocumentsWithoutAQueryTerm_andHonoursTheFilter() {
        LexicalIndex index = new LexicalIndex();
        index.put("ana", "1", "The user plays the cello");
        index.put("ana", "2", "The user grows orchids");

        assertThat(index.search("ana", "cello concert", 10, id -> true))
                .extracting(LexicalIndex.Scored::id)
                .containsExactly("1");
        assertThat(index.search("ana", "cello", 10, id -> !id.equals("1"))).isEmpty();
        assertThat(index.search("ana", "the and of", 10, id -> true)).isEmpty();
    }

    @Test
    void remove_andReplace_leaveNoTraceOfTheOldText() {
        LexicalIndex index = new LexicalIndex();
        index.put("ana", "1", "I live in Tromsø");
        index.put("ana", "1", "I live in Oslo");
        assertThat(index.search("ana", "Tromsø", 10, id -> true)).isEmpty();
        assertThat(index.search("ana", "Oslo", 10, id -> true)).hasSize(1);

        index.remove("ana", "1");

        assertThat(index.search("ana", "Oslo", 10, id -> true)).isEmpty();
        assertThat(index.documentsOf("ana")).isZero();
    }

    @Test
    void search_meetsAWordInAnotherForm() {
        LexicalIndex index = new LexicalIndex();
        index.put("ana", "1", "Luna finally learned to fetch the newspaper.");
        index.put("ana", "2", "We relocated to Bergen, closer to family.");
        index.put("ana", "3", "Traffic was terrible this morning.");

        assertThat(index.search("ana", "What trick did Luna learn?", 10, id -> true))
                .extracting(LexicalIndex.Scored::id)
                .containsExactly("1");
        assertThat(index.search("ana", "Which city did we relocate to?", 10, id -> true))
                .extracting(LexicalIndex.Scored::id)
                .containsExactly("2");
    }

    @Test
    void ceiling_boundsEveryScore_soAMatchOnOneCommonWordOfTheQueryStaysSmall() {
        LexicalIndex index = new LexicalIndex();
        index.put("ana", "1", "Our neighbour's corgi is called Pepper.");
        index.put("ana", "2", "We adopted a puppy and named her Luna.");
        index.put("ana", "3", "My cousin is called Tomas.");
        index.put("ana", "4", "I made pancakes.");

        double ceiling = index.ceiling("ana", "What is my dog called?");
        List<LexicalIndex.Scored> found = index.search("ana", "What is my dog called?", 10, id -> true);

        assertThat(found).extracting(LexicalIndex.Scored::id).containsExactlyInAnyOrder("1", "3");
        assertThat(found).allSatisfy(s -> assertThat(s.score() / ceiling).isBetween(0.0, 0.5));
        assertThat(index.ceiling("ana", "the and of")).isZero();
    }
}
