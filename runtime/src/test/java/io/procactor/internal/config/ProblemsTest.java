package io.procactor.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.ConfigurationException;
import org.junit.jupiter.api.Test;

/** How problems are collected and thrown: all of them, first found first, each mistake once. */
class ProblemsTest {
    @Test
    void nothingFoundThrowsNothing() {
        new Problems().throwIfAny();
    }

    @Test
    void oneProblemIsThrownAsItIs() {
        Problems p = new Problems();
        ConfigurationException only = new ConfigurationException("a.b must be 1, was [2]");
        p.add("a.b", only);

        assertThatThrownBy(p::throwIfAny).isSameAs(only);
    }

    @Test
    void severalProblemsAreOneLineEachInTheOrderFound() {
        Problems p = new Problems();
        IllegalStateException cause = new IllegalStateException("parse");
        p.add("z", new ConfigurationException("z is wrong", cause));
        p.add("a", new ConfigurationException("a is wrong"));

        assertThatThrownBy(p::throwIfAny).isInstanceOf(ConfigurationException.class).hasMessage("z is wrong\na is wrong")
                .hasCause(cause).satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    }

    @Test
    void aProblemAtOrUnderAKeyAlreadyReportedIsLeftOut() {
        Problems p = new Problems();
        p.add("x.mailbox", new ConfigurationException("x.mailbox must be an object"));
        p.add("x.mailbox", new ConfigurationException("read twice"));
        p.add("x.mailbox.capacity", new ConfigurationException("under it"));
        p.add("x.mailboxes", new ConfigurationException("a sibling"));
        p.add("x.list", new ConfigurationException("x.list must be a list"));
        p.add("x.list[0]", new ConfigurationException("an item of it"));

        assertThatThrownBy(p::throwIfAny).hasMessage("x.mailbox must be an object\na sibling\nx.list must be a list");
    }

    @Test
    void attemptRecordsAFailureAndSkipsKeysUnderAReportedOne() {
        Problems p = new Problems();

        assertThat(p.<Integer>attempt("a", () -> {
            throw new ConfigurationException("a is wrong");
        })).isNull();
        assertThat(p.attempt("a.b", () -> 1)).as("not even read").isNull();
        assertThat(p.attempt("c", () -> 3)).isEqualTo(3);
        assertThat(p.has("a.b")).isTrue();
        assertThat(p.has("c")).isFalse();
        assertThat(p.hasUnder("a")).isTrue();
    }
}
