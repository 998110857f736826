package dev.nexus.plugin.email;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailTextTest {

    @Test
    void newText_cutsTheQuotedTailAndSignature() {
        String body =
                "Sounds good.\n\nSee you.\n-- \nAlice\nOn Thu, 3 Dec 2026 at 10:00, Nexus <n@example.org> wrote:\n> old";

        assertThat(MailText.newText(body, 1000)).isEqualTo("Sounds good.\n\nSee you.");
    }

    @Test
    void newText_cutsAWroteLineBrokenInTwo_andOutlookHeaders() {
        assertThat(MailText.newText("Yes.\n\nOn Thu, 3 Dec 2026 at 10:00, Nexus\n<n@example.org> wrote:\n> old", 1000))
                .isEqualTo("Yes.");
        assertThat(MailText.newText("Agreed.\n\nFrom: Nexus <n@example.org>\nSent: Thursday\nSubject: x\n\nold", 1000))
                .isEqualTo("Agreed.");
        assertThat(MailText.newText("Fine.\n-----Original Message-----\nold", 1000))
                .isEqualTo("Fine.");
    }

    @Test
    void newText_keepsTextThatOnlyMentionsWriting() {
        assertThat(MailText.newText("On Monday I wrote a poem.\nFrom: the heart", 1000))
                .isEqualTo("On Monday I wrote a poem.\nFrom: the heart");
    }

    @Test
    void newText_capsWithoutSplittingASurrogatePair() {
        String text = "a".repeat(99) + "😀😀";

        assertThat(MailText.newText(text, 100)).isEqualTo("a".repeat(99) + "…");
    }

    @Test
    void fromHtml_dropsCommentsScriptsAndUnclosedTags() {
        assertThat(MailText.newText(
                        MailText.fromHtml("<!-- <p>hidden</p> --><SCRIPT type=x>bad()</SCRIPT>ok<b>!</b>"
                                + "<img src=x onerror=alert(1)"),
                        100))
                .isEqualTo("ok!");
    }

    @Test
    void toHtml_escapesEverythingAndKeepsParagraphs() {
        assertThat(MailText.toHtml("<script>\"x\" & 'y'</script>\nnext\n\npara"))
                .isEqualTo(
                        "<!DOCTYPE html><html><body><p>&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;<br>next</p>"
                                + "<p>para</p></body></html>");
    }
}
