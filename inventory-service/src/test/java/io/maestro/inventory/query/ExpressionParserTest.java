package io.maestro.inventory.query;

import io.maestro.inventory.query.Expression.And;
import io.maestro.inventory.query.Expression.Attr;
import io.maestro.inventory.query.Expression.Connected;
import io.maestro.inventory.query.Expression.In;
import io.maestro.inventory.query.Expression.InPool;
import io.maestro.inventory.query.Expression.NameMatches;
import io.maestro.inventory.query.Expression.Not;
import io.maestro.inventory.query.Expression.Op;
import io.maestro.inventory.query.Expression.Or;
import io.maestro.inventory.query.Expression.TypeIs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionParserTest {

    @Test
    void andBindsTighterThanOr() {
        assertThat(ExpressionParser.parse("type:server and in:dc1 or pool:spare"))
                .isEqualTo(new Or(List.of(new And(List.of(new TypeIs("server"), new In("dc1"))), new InPool("spare"))));
    }

    @Test
    void parenthesesAndNotGroup() {
        assertThat(ExpressionParser.parse("not (type:server or type:switch) and connected:sw1"))
                .isEqualTo(new And(List.of(new Not(new Or(List.of(new TypeIs("server"), new TypeIs("switch")))), new Connected("sw1"))));
    }

    @Test
    void termsSideBySideMeanAnd() {
        assertThat(ExpressionParser.parse("type:server in:rack002 and attr:foo=12"))
                .isEqualTo(new And(List.of(new TypeIs("server"), new In("rack002"), new Attr("foo", null, Op.EQ, "12", false))));
    }

    @Test
    void attributesWithSubkeysOperatorsAndQuotedValues() {
        assertThat(ExpressionParser.parse("attr:disk.size>=500")).isEqualTo(new Attr("disk", "size", Op.GE, "500", false));
        assertThat(ExpressionParser.parse("attr:role")).isEqualTo(new Attr("role", null, null, null, false));
        assertThat(ExpressionParser.parse("attr:owner!=\"web team\"")).isEqualTo(new Attr("owner", null, Op.NE, "web team", true));
        assertThat(ExpressionParser.parse("attr:cores<8")).isEqualTo(new Attr("cores", null, Op.LT, "8", false));
    }

    @Test
    void namesAreGlobsOrRegexes() {
        assertThat(ExpressionParser.parse("name:web*")).isEqualTo(new NameMatches("web*", false));
        assertThat(ExpressionParser.parse("name:db-??")).isEqualTo(new NameMatches("db-??", false));
        assertThat(ExpressionParser.parse("name:/^web-[0-9]+$/")).isEqualTo(new NameMatches("^web-[0-9]+$", true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                        | 0  | expected an expression",
            "type:                     | 5  | expected a type",
            "type:server and           | 15 | but found the end",
            "kind:server               | 0  | unknown atom 'kind:'",
            "type:server )             | 12 | expected 'and', 'or' or the end",
            "(type:server              | 12 | expected ')' to close '(' at position 0",
            "type:Server               | 5  | expected a type",
            "attr:9x=1                 | 5  | expected an attribute key",
            "attr:cpu>                 | 9  | expected a value after '>'",
            "name:/web                 | 5  | not closed",
            "in:dc1 or not             | 13 | but found the end",
            "type:server bogus         | 12 | expected 'type:'",
            "()                        | 1  | expected an expression inside '('",
    })
    void syntaxErrorsNameThePositionAndWhatWasExpected(String source, int position, String message) {
        assertThatThrownBy(() -> ExpressionParser.parse(source))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(position));
    }

    @Test
    void compiledSqlBindsEveryValue() {
        List<Object> params = new ArrayList<>();
        String sql = new SqlCompiler(params).condition(ExpressionParser.parse("name:web_* and attr:note=\"x'; drop table entity --\""));
        assertThat(sql).doesNotContain("drop table").contains("?1").contains("?3");
        assertThat(params).containsExactly("web\\_%", "note", "x'; drop table entity --");
    }

    @Test
    void nestingOfParenthesesAndNotIsAllowedUpToTheDepthLimitAndRefusedBeyondIt() {
        int half = ExpressionParser.MAX_DEPTH / 2;
        String deepest = "(".repeat(half) + "not ".repeat(half) + "type:x" + ")".repeat(half);
        assertThat(ExpressionParser.parse(deepest)).isNotNull();
        assertThatThrownBy(() -> ExpressionParser.parse("(" + deepest + ")"))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("nested more than " + ExpressionParser.MAX_DEPTH + " levels")
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(1 + half + (half - 1) * "not ".length()));
    }

    @Test
    void siblingGroupsDoNotAddUpToTheDepth() {
        String group = "(".repeat(ExpressionParser.MAX_DEPTH) + "type:x" + ")".repeat(ExpressionParser.MAX_DEPTH);
        assertThat(ExpressionParser.parse(group + " or " + group + " and not " + group.substring(1, group.length() - 1))).isNotNull();
    }

    @Test
    void termsAreCountedAcrossTheWholeExpression() {
        String terms = String.join(" ", java.util.Collections.nCopies(ExpressionParser.MAX_TERMS, "type:x"));
        assertThat(ExpressionParser.parse(terms)).isNotNull();
        assertThatThrownBy(() -> ExpressionParser.parse("(" + terms + ") or type:y"))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("at most " + ExpressionParser.MAX_TERMS + " terms");
    }

    @Test
    void nulIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> ExpressionParser.parse("attr:note=\"a\u0000b\""))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("U+0000")
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(12));
    }
}
