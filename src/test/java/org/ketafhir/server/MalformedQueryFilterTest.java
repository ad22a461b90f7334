package org.ketafhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MalformedQueryFilterTest {

    @Test
    void shouldFindTheFirstPercentThatStartsNoEscape() {
        assertThat(MalformedQueryFilter.malformedEscape("_elements=%%%")).isEqualTo(10);
        assertThat(MalformedQueryFilter.malformedEscape("name=a%2")).isEqualTo(6);
        assertThat(MalformedQueryFilter.malformedEscape("name=%zz")).isEqualTo(5);
        assertThat(MalformedQueryFilter.malformedEscape("code=http%3A%2F%2Floinc.org%7C44261-6&x=%")).isEqualTo(40);
    }

    @Test
    void shouldAcceptWellFormedEscapesAndNoQuery() {
        assertThat(MalformedQueryFilter.malformedEscape(null)).isEqualTo(-1);
        assertThat(MalformedQueryFilter.malformedEscape("code=http%3A%2F%2Floinc.org%7c44261-6")).isEqualTo(-1);
        assertThat(MalformedQueryFilter.malformedEscape("name=%25")).isEqualTo(-1);
    }
}
