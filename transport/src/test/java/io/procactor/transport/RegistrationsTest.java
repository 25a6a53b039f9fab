package io.procactor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.transport.Registrations.TableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RegistrationsTest {
    record Foo(int x) {
    }

    record Bar(String y) {
    }

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void duplicateIdWithDifferentClassesNamesBothAndTheId() {
        assertThatThrownBy(() -> Registrations.builder().register(Foo.class, 1000).register(Bar.class, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1000]")
                .hasMessageContaining(Foo.class.getName())
                .hasMessageContaining(Bar.class.getName());
    }

    @Test
    void idTakenByAJdkDefaultIsADuplicate() {
        assertThatThrownBy(() -> Registrations.builder().register(Foo.class, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[20]")
                .hasMessageContaining("java.util.ArrayList")
                .hasMessageContaining(Foo.class.getName());
    }

    @Test
    void sameClassUnderTwoIdsIsRejected() {
        assertThatThrownBy(() -> Registrations.builder().register(Foo.class, 1000).register(Foo.class, 1001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Foo.class.getName())
                .hasMessageContaining("[1000]")
                .hasMessageContaining("[1001]");
        assertThatThrownBy(() -> Registrations.builder().register(UUID.class, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.UUID");
    }

    @Test
    void sameClassUnderTheSameIdTwiceIsFine() {
        Registrations r = Registrations.builder().register(Foo.class, 1000).register(Foo.class, 1000).build();
        assertThat(r.byType(Foo.class)).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(1000));
    }

    @Test
    void idsBelowTenAreReservedForKryo() {
        for (int id : new int[] {-1, 0, 1, 9}) {
            assertThatThrownBy(() -> Registrations.builder().register(Foo.class, id))
                    .as("id %d", id)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[" + id + "]")
                    .hasMessageContaining(Foo.class.getName())
                    .hasMessageContaining("reserved");
        }
    }

    @Test
    void codecIsRequiredWhenRegisteringWithOne() {
        assertThatThrownBy(() -> Registrations.builder().register(Foo.class, 1000, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void tableListsEveryEntryByAscendingIdWithItsClassName() {
        Registrations r = Registrations.builder().register(Bar.class, 1001).register(Foo.class, 1000).build();
        List<TableEntry> table = r.table();
        assertThat(table).extracting(TableEntry::id).isSorted().doesNotHaveDuplicates();
        assertThat(table).contains(new TableEntry(1000, Foo.class.getName()), new TableEntry(1001, Bar.class.getName()),
                new TableEntry(20, "java.util.ArrayList"));
        assertThat(r.toBuilder().build().table()).isEqualTo(table);
    }

    @Test
    void everyJdkDefaultIsBelowTheRuntimeRange() {
        assertThat(Registrations.builder().build().entries())
                .allSatisfy(e -> assertThat(e.id()).isBetween(10, Registrations.FIRST_RUNTIME_ID - 1));
    }

    // --- adopt ------------------------------------------------------------------------------------

    @Test
    void adoptLoadsClassesByNameAndKeepsMatchingIds() {
        Registrations mine = Registrations.builder().register(Foo.class, 1000).build();
        List<TableEntry> peer = new ArrayList<>(mine.table());
        peer.add(new TableEntry(1001, Bar.class.getName()));

        Registrations merged = mine.adopt(peer, loader);

        assertThat(merged.byType(Bar.class)).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(1001));
        assertThat(merged.byType(Foo.class)).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(1000));
        assertThat(merged.table()).containsAll(mine.table()).hasSize(mine.table().size() + 1);
        assertThat(mine.byType(Bar.class)).as("the original is immutable").isEmpty();
    }

    @Test
    void adoptingATableThatAddsNothingReturnsTheSameInstance() {
        Registrations mine = Registrations.builder().register(Foo.class, 1000).build();
        assertThat(mine.adopt(mine.table(), loader)).isSameAs(mine);
        assertThat(mine.adopt(List.of(), loader)).isSameAs(mine);
    }

    @Test
    void adoptKeepsEntriesOnlyThisSideHas() {
        Registrations mine = Registrations.builder().register(Foo.class, 1000).build();
        Registrations merged = mine.adopt(List.of(new TableEntry(1001, Bar.class.getName())), loader);
        assertThat(merged.byType(Foo.class)).isPresent();
        assertThat(merged.byType(Bar.class)).isPresent();
    }

    @Test
    void adoptRejectsAConflictingIdNamingBothClasses() {
        Registrations mine = Registrations.builder().register(Foo.class, 1000).build();
        assertThatThrownBy(() -> mine.adopt(List.of(new TableEntry(1000, Bar.class.getName())), loader))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("[1000]")
                .hasMessageContaining(Foo.class.getName())
                .hasMessageContaining(Bar.class.getName());
    }

    @Test
    void adoptRejectsAClassThePeerRegisteredUnderAnotherId() {
        Registrations mine = Registrations.builder().register(Foo.class, 1000).build();
        assertThatThrownBy(() -> mine.adopt(List.of(new TableEntry(1005, Foo.class.getName())), loader))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining(Foo.class.getName())
                .hasMessageContaining("[1005]")
                .hasMessageContaining("[1000]");
    }

    @Test
    void adoptRejectsAClassThatCannotBeLoadedNamingIt() {
        Registrations mine = Registrations.builder().build();
        assertThatThrownBy(() -> mine.adopt(List.of(new TableEntry(1000, "com.example.NotOnThisClassPath")), loader))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("com.example.NotOnThisClassPath")
                .hasMessageContaining("1000")
                .hasCauseInstanceOf(ClassNotFoundException.class);
    }
}
