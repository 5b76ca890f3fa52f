package io.maestro.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the CLI prints of text other callers wrote cannot drive the terminal. */
class OutputTest {

    @Test
    void controlCharactersOfATableCellArePrintedAsEscapes() {
        assertThat(Output.visible("red\u001b[31m\nnext\r\tcsi\u009b2J del\u007f")).isEqualTo("red\\u001b[31m\\nnext\\r\\tcsi\\u009b2J del\\u007f");
        assertThat(Output.visible("plain - ünïcode ✓")).isEqualTo("plain - ünïcode ✓");
        assertThat(Output.visible(null)).isNull();
        assertThat(Output.visible("hi\u001b]0;pwned\u0007")).doesNotContain("\u001b").doesNotContain("\u0007");
    }
}
