package dev.nexus.host.interchange;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.host.InvalidInputException;
import dev.nexus.host.PayloadTooLargeException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostileInputTest {

    private final Interchange interchange = new Interchange(Fixtures.LIMITS);
    private static final byte[] CARD =
            Fixtures.utf8("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Ok\"}}");

    private void refused(byte[] input, String... messageParts) {
        var assertion = assertThatThrownBy(() -> interchange.importBytes(input, "hostile"))
                .isInstanceOf(InvalidInputException.class);
        for (String part : messageParts) {
            assertion.hasMessageContaining(part);
        }
    }

    @Test
    void truncatedPng_isRefused() {
        byte[] png = Fixtures.png(Fixtures.cardChunk("chara", CARD));
        refused(Arrays.copyOf(png, png.length - 20), "truncated");
        refused(Arrays.copyOf(png, 10), "truncated");
    }

    @Test
    void pngWithWrongCrc_isRefused() {
        byte[] png = Fixtures.png(Fixtures.cardChunk("chara", CARD));
        png[png.length - 20] ^= 0x55;
        refused(png, "wrong CRC", "damaged");
    }

    @Test
    void pngWithGiantChunk_isRefusedBeforeReadingIt() {
        byte[] png = Fixtures.png();
        // Declare a 1 GiB IDAT.
        int idat = 8 + 25;
        png[idat] = 0x40;
        refused(png, "'IDAT' chunk", "1073741", "limit");
    }

    @Test
    void pngWhoseFirstChunkIsNotIhdr_isRefused() {
        byte[] png = Fixtures.png();
        byte[] noHeader = new byte[png.length - 25];
        System.arraycopy(png, 0, noHeader, 0, 8);
        System.arraycopy(png, 33, noHeader, 8, png.length - 33);
        refused(noHeader, "first chunk is 'IDAT', not IHDR");
    }

    @Test
    void pngWithoutCard_isRefusedAsPlainImage() {
        refused(Fixtures.png(Fixtures.textChunk("Comment", "hello")), "no character card", "plain image");
    }

    @Test
    void pngCardThatIsBase64ButNotJson_isRefused() {
        refused(
                Fixtures.png(Fixtures.cardChunk("chara", Fixtures.utf8("hello, not json"))),
                "'chara' chunk",
                "not valid JSON");
    }

    @Test
    void pngCardThatIsNotBase64_isRefused() {
        refused(
                Fixtures.png(Fixtures.textChunk("ccv3", "%%% definitely not base64 %%%")),
                "'ccv3' chunk is not valid base64");
    }

    @Test
    void pngCardLargerThanTheCardLimit_isRefused() {
        Interchange small = new Interchange(new InterchangeLimits(0, 1024, 0, 0, 0, 0, 0L, 0));
        byte[] png = Fixtures.png(Fixtures.cardChunk("chara", new byte[4096]));
        assertThatThrownBy(() -> small.importBytes(png, "big.png"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("card size limit");
    }

    @Test
    void jsonNestedThousandsDeep_isRefused() {
        String deep = "{\"spec\":\"chara_card_v2\",\"data\":{\"name\":\"x\",\"extensions\":{\"a\":" + "[".repeat(5000)
                + "]".repeat(5000) + "}}}";
        refused(Fixtures.utf8(deep), "nesting depth");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[1,2,3]|must be a JSON object but is an array",
                "{\"name\":\"a\"} {}|more content after",
                "{\"name\":\"a\",\"name\":\"b\",\"first_mes\":\"\"}|Duplicate field 'name'",
                "not json at all|not valid JSON",
                "{\"spec\":\"chara_card_v9\",\"data\":{}}|not a format Nexus reads",
                "{\"hello\":\"world\"}|not a format Nexus recognises",
                "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\"}|has no 'data' object",
                "{\"spec\":\"chara_card_v2\",\"data\":{\"name\":\"x\",\"extensions\":{\"nexus/card\":{}}}}|reserved key 'nexus/card'",
                "{\"spec\":\"chara_card_v2\",\"data\":{\"name\":\"x\",\"extensions\":{\"nexus\":{\"id\":\"Not An Id\"}}}}|personality id must be",
            })
    void malformedJson_isRefusedNamingTheProblem(String json, String message) {
        refused(Fixtures.utf8(json), message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"name\":5|'data.name' must be a string but is the number 5",
                "\"name\":\"x\",\"description\":[]|'data.description' must be a string but is an array",
                "\"name\":\"x\",\"tags\":\"a,b\"|'data.tags' must be an array",
                "\"name\":\"x\",\"tags\":[\"a\",3]|'data.tags[1]' must be a string",
                "\"name\":\"x\",\"alternate_greetings\":{}|'data.alternate_greetings' must be an array",
                "\"name\":\"x\",\"first_mes\":false|'data.first_mes' must be a string",
                "\"name\":\"x\",\"mes_example\":1|'data.mes_example' must be a string",
                "\"name\":\"x\",\"system_prompt\":{}|'data.system_prompt' must be a string",
                "\"name\":\"x\",\"post_history_instructions\":2|'data.post_history_instructions' must be a string",
                "\"name\":\"x\",\"creator_notes\":[]|'data.creator_notes' must be a string",
                "\"name\":\"x\",\"creator\":1|'data.creator' must be a string",
                "\"name\":\"x\",\"character_version\":1.5|'data.character_version' must be a string",
                "\"name\":\"x\",\"extensions\":[]|'data.extensions' must be an object",
                "\"name\":\"x\",\"character_book\":[]|'data.character_book' must be an object",
                "\"name\":\"x\",\"character_book\":{\"scan_depth\":\"deep\",\"entries\":[]}|'data.character_book.scan_depth' must be a number",
                "\"name\":\"x\",\"character_book\":{\"recursive_scanning\":1,\"entries\":[]}|'data.character_book.recursive_scanning' must be true or false",
                "\"name\":\"x\",\"character_book\":{\"entries\":{}}|'data.character_book.entries' must be an array",
                "\"name\":\"x\",\"character_book\":{\"entries\":[5]}|'data.character_book.entries[0]' must be an object",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":\"k\"}]}|'data.character_book.entries[0].keys' must be an array",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"content\":7}]}|'data.character_book.entries[0].content' must be a string",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"enabled\":\"yes\"}]}|'data.character_book.entries[0].enabled' must be true or false",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"insertion_order\":\"first\"}]}|'data.character_book.entries[0].insertion_order' must be a number",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"priority\":[]}]}|'data.character_book.entries[0].priority' must be a number",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"id\":true}]}|'data.character_book.entries[0].id' must be a number or a string",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"position\":0}]}|'data.character_book.entries[0].position' must be a string",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"secondary_keys\":[null]}]}|'data.character_book.entries[0].secondary_keys[0]' must be a string",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"extensions\":{\"selectiveLogic\":7}}]}|must be 0 (AND ANY)",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"extensions\":{\"match_whole_words\":\"no\"}}]}|match_whole_words' must be true, false or null",
                "\"name\":\"x\",\"character_book\":{\"entries\":[{\"keys\":[\"k\"],\"comment\":1}]}|'data.character_book.entries[0].comment' must be a string",
                "\"name\":\"x\",\"assets\":[{\"uri\":3}]|'data.assets[0].uri' must be a string",
                "\"name\":\"x\",\"nickname\":[]|'data.nickname' must be a string",
                "\"name\":\"x\",\"creator_notes_multilingual\":{\"en\":1}|'data.creator_notes_multilingual.en' must be a string",
                "\"name\":\"x\",\"source\":\"here\"|'data.source' must be an array",
                "\"name\":\"x\",\"group_only_greetings\":[1]|'data.group_only_greetings[0]' must be a string",
                "\"name\":\"x\",\"creation_date\":\"today\"|'data.creation_date' must be a number",
                "\"name\":\"x\",\"modification_date\":{}|'data.modification_date' must be a number",
            })
    void wrongTypeInAnyV3Field_isRefusedNamingTheField(String dataFields, String message) {
        refused(
                Fixtures.utf8("{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\",\"data\":{" + dataFields + "}}"),
                message);
    }

    @Test
    void zipBomb_isRefusedByCountingInflatedBytes() {
        Interchange small = new Interchange(new InterchangeLimits(0, 0, 0, 0, 0, 0, 1L << 20, 0));
        byte[] zeros = new byte[8 << 20];
        byte[] bomb = Fixtures.zip(orderedMap("card.json", CARD, "assets/other/zeros.bin", zeros));

        assertThatThrownBy(() -> small.importBytes(bomb, "bomb.charx"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("zip bomb")
                .hasMessageContaining("assets/other/zeros.bin");
    }

    @Test
    void zipBombInCardJson_isRefusedAtTheCardLimit() {
        Interchange small = new Interchange(new InterchangeLimits(0, 1 << 16, 0, 0, 0, 0, 0L, 0));
        byte[] bomb = Fixtures.zip(orderedMap("card.json", new byte[4 << 20]));

        assertThatThrownBy(() -> small.importBytes(bomb, "bomb.charx"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("card.json inflates to more than 65536");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"../evil.txt", "assets/../../evil.txt", "/etc/passwd", "C:/windows/evil.dll", "assets\\evil.txt"
            })
    void charxWithEscapingPath_isRefused(String path) {
        byte[] zip = Fixtures.zip(orderedMap("card.json", CARD, path, new byte[] {1}));
        refused(zip, "path traversal", path.substring(0, Math.min(path.length(), 10)));
    }

    @Test
    void charxWithTooManyEntries_isRefused() {
        Interchange small = new Interchange(new InterchangeLimits(0, 0, 0, 0, 0, 10, 0L, 0));
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("card.json", CARD);
        for (int i = 0; i < 20; i++) {
            entries.put("assets/other/f" + i, new byte[] {1});
        }
        assertThatThrownBy(() -> small.importBytes(Fixtures.zip(entries), "many.charx"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than 10 entries");
    }

    @Test
    void charxWithoutCardJson_isRefused() {
        refused(Fixtures.zip(orderedMap("character.json", CARD)), "no card.json", "character.json");
    }

    @Test
    void charxWithDuplicateNames_isRefused() {
        refused(duplicateFirstEntry(Fixtures.zip(orderedMap("card.json", CARD))), "two entries named 'card.json'");
    }

    @Test
    void truncatedCharx_isRefused() {
        byte[] zip = Fixtures.zip(orderedMap("card.json", CARD, "assets/icon/images/main.png", Fixtures.png()));
        refused(Arrays.copyOf(zip, 60), "CHARX");
    }

    @Test
    void emptyInput_isRefused() {
        refused(new byte[0], "is empty");
    }

    @Test
    void inputOverTheLimit_isPayloadTooLarge() {
        Interchange small = new Interchange(new InterchangeLimits(100, 0, 0, 0, 0, 0, 0L, 0));
        assertThatThrownBy(() -> small.importBytes(new byte[101], "big.json"))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("101 bytes, more than the 100-byte");
    }

    private static Map<String, byte[]> orderedMap(Object... keysAndValues) {
        LinkedHashMap<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (byte[]) keysAndValues[i + 1]);
        }
        return map;
    }

    /** Returns a zip whose first local entry appears twice (the central directory is dropped: streaming readers ignore it). */
    private static byte[] duplicateFirstEntry(byte[] zip) {
        int central = -1;
        for (int i = 4; i + 4 <= zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                central = i;
                break;
            }
        }
        byte[] entry = Arrays.copyOf(zip, central);
        byte[] out = new byte[entry.length * 2];
        System.arraycopy(entry, 0, out, 0, entry.length);
        System.arraycopy(entry, 0, out, entry.length, entry.length);
        return out;
    }
}
