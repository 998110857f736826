package dev.nexus.plugin.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownV2Test {

    @Test
    void format_reservedCharacters_areEscapedSoTheyShowLiterally() {
        assertThat(MarkdownV2.format("Hi! 1+1=2 (really). [x] a_b #tag {ok} |p| ~s~ >q -d \\"))
                .isEqualTo(
                        "Hi\\! 1\\+1\\=2 \\(really\\)\\. \\[x\\] a\\_b \\#tag \\{ok\\} \\|p\\| \\~s\\~ \\>q \\-d \\\\");
    }

    @Test
    void format_codeAndBold_stayFormatted_withOnlyBacktickAndBackslashEscapedInCode() {
        assertThat(MarkdownV2.format("Run `a.b(c)` then **done.**")).isEqualTo("Run `a.b(c)` then *done\\.*");
        assertThat(MarkdownV2.format("```java\nif (a\\b) {}\n```")).isEqualTo("```java\nif (a\\\\b) {}\n```");
    }

    @Test
    void format_anUnclosedBacktick_isEscapedLiterally() {
        assertThat(MarkdownV2.format("it`s")).isEqualTo("it\\`s");
    }

    @Test
    void messages_aShortReply_isOneMessage() {
        assertThat(MarkdownV2.messages("Hello.")).containsExactly("Hello\\.");
    }

    @Test
    void messages_aLongReply_isSplitAtParagraphs_eachWithinTheLimit() {
        String paragraph = "x".repeat(3000);
        List<String> parts = MarkdownV2.messages(paragraph + "\n\n" + paragraph + "\n\n" + paragraph);

        assertThat(parts).hasSize(3).allSatisfy(part -> assertThat(part).isEqualTo(paragraph));
    }

    @Test
    void split_neverCutsASurrogatePair() {
        String text = "😀".repeat(3000); // 6000 UTF-16 units, no spaces

        List<String> parts = MarkdownV2.split(text, 4081);

        assertThat(parts).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(4081);
            assertThat(Character.isLowSurrogate(part.charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1)))
                    .isFalse();
        });
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void messages_aCodeBlockCutBySplitting_isClosedAndReopenedWithItsLanguage() {
        String code = "int x = 1;\n".repeat(600); // 6600 characters inside one block
        List<String> parts = MarkdownV2.messages("```java\n" + code + "```");

        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(parts.get(0)).startsWith("```java\n").endsWith("```");
        assertThat(parts.get(1)).startsWith("```java\n").endsWith("```");
        assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(MarkdownV2.LIMIT + 16));
    }
}
