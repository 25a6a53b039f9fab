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

    /**
     * The JDK defaults, by id. Processes adopt their server's table, but one built with another
     * default table (another procactor version, or a JDK whose immutable collections are other
     * classes) conflicts at the handshake: a change here is a wire-format change.
     *
     * <p>Note: Kryo keeps the boxed primitives (50-57) under its own built-in ids 0-8; the entries
     * here are never used on the wire.
     */
    @Test
    void jdkDefaultTableIsStable() {
        List<String> expected = List.of(
                "10=[B", "11=[I", "12=[J", "13=[D", "14=[F", "15=[Z", "16=[C", "17=[S", "18=[Ljava.lang.String;",
                "19=[Ljava.lang.Object;",
                "20=java.util.ArrayList", "21=java.util.LinkedList", "22=java.util.HashMap", "23=java.util.LinkedHashMap",
                "24=java.util.TreeMap", "25=java.util.HashSet", "26=java.util.LinkedHashSet", "27=java.util.TreeSet",
                "28=java.util.ArrayDeque",
                "30=java.util.ImmutableCollections$ListN", "31=java.util.ImmutableCollections$List12",
                "33=java.util.ImmutableCollections$SetN", "34=java.util.ImmutableCollections$Set12",
                "36=java.util.ImmutableCollections$MapN", "37=java.util.ImmutableCollections$Map1",
                "39=java.util.Arrays$ArrayList", "40=java.util.Collections$EmptyList", "41=java.util.Collections$EmptySet",
                "42=java.util.Collections$EmptyMap", "43=java.util.Collections$SingletonList",
                "44=java.util.Collections$SingletonSet", "45=java.util.Collections$SingletonMap",
                "50=java.lang.Integer", "51=java.lang.Long", "52=java.lang.Double", "53=java.lang.Float",
                "54=java.lang.Boolean", "55=java.lang.Byte", "56=java.lang.Character", "57=java.lang.Short",
                "58=java.util.UUID", "59=java.time.Duration", "60=java.time.Instant", "61=java.time.LocalDate",
                "62=java.time.LocalDateTime", "63=java.math.BigInteger", "64=java.math.BigDecimal", "65=java.util.Optional");
        assertThat(Registrations.builder().build().table())
                .extracting(e -> e.id() + "=" + e.className())
                .containsExactlyElementsOf(expected);
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
