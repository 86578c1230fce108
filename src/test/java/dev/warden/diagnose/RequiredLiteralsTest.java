package dev.warden.diagnose;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredLiteralsTest {

    @Test
    void takesTheLongestPlainRunOfEachAlternative() {
        assertThat(RequiredLiterals.of("(OutOfMemoryError|RuntimeError): (CUDA|HIP) out of memory")).containsExactly(" out of memory");
        assertThat(RequiredLiterals.of("NVRM: Xid \\((PCI:)?[0-9a-f]+\\): 79,")).containsExactly("NVRM: Xid (");
        assertThat(RequiredLiterals.of("Connection refused|No route to host")).containsExactly("Connection refused", "No route to host");
    }

    @Test
    void optionalCharactersAreNotRequired() {
        assertThat(RequiredLiterals.of("colou?r matters")).containsExactly("r matters");
        assertThat(RequiredLiterals.of("Kill(ed)? process")).containsExactly(" process");
        assertThat(RequiredLiterals.of("abcd*efgh")).containsExactly("efgh");
    }

    @Test
    void givesUpWhenAnAlternativeHasNoUsableLiteralOrCaseIsIgnored() {
        assertThat(RequiredLiterals.of("[0-9]+ x|total")).isEmpty();
        assertThat(RequiredLiterals.of("(?i)out of memory")).isEmpty();
        assertThat(RequiredLiterals.of("(a+)+b")).isEmpty();
    }
}
