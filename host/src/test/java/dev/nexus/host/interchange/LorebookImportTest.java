package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.api.knowledge.KnowledgePack;
import dev.nexus.api.knowledge.LoreEntry;
import dev.nexus.api.knowledge.LoreEntry.SelectiveLogic;
import dev.nexus.host.InvalidInputException;
import org.junit.jupiter.api.Test;

class LorebookImportTest {

    private final Interchange interchange = new Interchange(Fixtures.LIMITS);

    @Test
    void importLorebook_worldInfo_mapsEntriesTheWaySillyTavernDoes() {
        ImportedLorebook book =
                interchange.importLorebook(Fixtures.resource("world-info-saltreach.json"), "world-info-saltreach.json");

        assertThat(book.format()).isEqualTo(SourceFormat.WORLD_INFO);
        assertThat(book.name()).isEqualTo("Saltreach World");
        assertThat(book.entries()).hasSize(3);
        LoreEntry market = book.entries().get(0);
        assertThat(market.id()).isEqualTo("0");
        assertThat(market.name()).isEqualTo("Glass Market");
        assertThat(market.useRegex()).isTrue();
        assertThat(market.selective()).isTrue();
        assertThat(market.extensions())
                .containsEntry("display_index", 0)
                .containsEntry("addMemo", true)
                .containsEntry("useProbability", true)
                .containsKey("characterFilter");
        LoreEntry bells = book.entries().get(1);
        assertThat(bells.enabled()).isFalse();
        assertThat(bells.logic()).isEqualTo(SelectiveLogic.AND_ALL);
        assertThat(bells.caseSensitive()).isTrue();
        assertThat(bells.wholeWords()).isTrue();
        assertThat(bells.position()).isEqualTo("after_char");
        assertThat(bells.insertionOrder()).isEqualTo(120);
        assertThat(bells.extensions())
                .containsEntry("position", 4)
                .containsEntry("depth", 2)
                .containsEntry("ignore_budget", true)
                .containsEntry("outletName", "");
        assertThat(book.entries().get(2).constant()).isTrue();
    }

    @Test
    void importLorebook_lorebookV3_keepsBookFieldsAndStripsDecorators() {
        ImportedLorebook book = interchange.importLorebook(Fixtures.resource("lorebook-v3-canal.json"), "canal.json");

        assertThat(book.format()).isEqualTo(SourceFormat.LOREBOOK_V3);
        assertThat(book.name()).isEqualTo("Canal City");
        assertThat(book.description()).isEqualTo("Shared lore for the canal city");
        assertThat(book.extensions())
                .containsEntry("scan_depth", 4)
                .containsEntry("token_budget", 1024)
                .containsEntry("recursive_scanning", false)
                .containsKey("extensions");
        assertThat(book.entries().get(0).content()).isEqualTo("Gondolas are painted black by law.");
        assertThat(book.entries().get(0).keys()).containsExactly("gondola", "ゴンドラ");
        assertThat(book.entries().get(1).priority()).isEqualTo(3);
    }

    @Test
    void importLorebook_worldInfoKeylessActivateEntry_staysEnabled_andTextBooleansAreRead() {
        ImportedLorebook book = interchange.importLorebook(
                Fixtures.utf8(
                        "{\"entries\":{"
                                + "\"0\":{\"uid\":0,\"key\":[],\"content\":\"@@activate\\nAlways.\",\"disable\":false},"
                                + "\"1\":{\"uid\":1,\"key\":[\"tower\"],\"content\":\"Glass.\",\"constant\":\"true\",\"order\":\"7\"}}}"),
                "wi.json");

        assertThat(book.entries().get(0).enabled()).isTrue();
        assertThat(book.warnings())
                .noneMatch(w -> w.contains("imported disabled"))
                .anyMatch(w -> w.contains("constant' is the string \"true\""));
        assertThat(book.entries().get(1).constant()).isTrue();
        assertThat(book.entries().get(1).insertionOrder()).isEqualTo(7);
    }

    @Test
    void asKnowledgePack_carriesEveryEntry() {
        ImportedLorebook book = interchange.importLorebook(Fixtures.resource("lorebook-v3-canal.json"), "canal.json");

        KnowledgePack pack = book.asKnowledgePack("canal-city");

        assertThat(pack.id()).isEqualTo("canal-city");
        assertThat(pack.name()).isEqualTo("Canal City");
        assertThat(pack.category()).isEqualTo("lorebook");
        assertThat(pack.entries()).isEqualTo(book.entries());
    }

    @Test
    void importBytes_ofALorebook_pointsAtKnowledgeImport() {
        assertThatThrownBy(() -> interchange.importBytes(Fixtures.resource("world-info-saltreach.json"), "wi.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is a lorebook (world info)")
                .hasMessageContaining("knowledge pack");
    }

    @Test
    void importLorebook_ofACharacter_isRefused() {
        assertThatThrownBy(() -> interchange.importLorebook(Fixtures.resource("v3-kaito.json"), "kaito.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a lorebook");
    }
}
