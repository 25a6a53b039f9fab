package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void plainTextIsUnchanged() {
        assertThat(LogText.escape("worker-7 (\u00e9t\u00e9)")).isEqualTo("worker-7 (\u00e9t\u00e9)");
    }

    @Test
    void newlinesAndControlCharactersCannotStartAForgedLogLine() {
        String forged = "child\n12:00:00.000 ERROR [main] Node - all children lost\r\u001b[2J";
        String escaped = LogText.escape(forged, 1000);
        assertThat(escaped).doesNotContain("\n", "\r", "\u001b")
                .contains("child\\u000a12:00:00.000 ERROR").endsWith("\\u000d\\u001b[2J");
    }

    @Test
    void bidiOverridesAndLineSeparatorsAreEscapedAndABackslashCannotImitateAnEscape() {
        assertThat(LogText.escape("a\u202eb\u2028c\u2066d\u0085e")).isEqualTo("a\\u202eb\\u2028c\\u2066d\\u0085e");
        assertThat(LogText.escape("\\u000a")).isEqualTo("\\u005cu000a");
    }

    @Test
    void longTextIsCutAndSaysHowMuch() {
        String name = "n".repeat(65_535);
        String escaped = LogText.escape(name);
        assertThat(escaped).startsWith("n".repeat(LogText.DEFAULT_MAX)).endsWith("...(" + (65_535 - 64) + " more chars)");
        assertThat(escaped.length()).isLessThan(100);
    }

    @Test
    void aSurrogatePairIsNotSplitByTheCut() {
        String text = "a".repeat(63) + "\uD83D\uDE00" + "tail";
        assertThat(LogText.escape(text)).startsWith("a".repeat(63) + "...(");
    }

    @Test
    void nullIsPrintable() {
        assertThat(LogText.escape(null)).isEqualTo("null");
    }
}
