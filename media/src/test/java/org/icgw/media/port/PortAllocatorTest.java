package org.icgw.media.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
    @Test
    void defaultRangeHoldsFiveThousandEvenPorts() {
        PortAllocator p = PortAllocator.defaultRange();
        assertThat(p.capacity()).isEqualTo(5000);
        assertThat(p.firstPort()).isEqualTo(20000);
        assertThat(p.lastPort()).isEqualTo(29998);
    }

    @Test
    void handsOutEvenPortsUntilExhausted() {
        PortAllocator p = new PortAllocator(40001, 40010);
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            int port = p.allocate().orElseThrow();
            assertThat(port % 2).isZero();
            assertThat(port).isBetween(40002, 40008);
            got.add(port);
        }
        assertThat(got).containsExactlyInAnyOrder(40002, 40004, 40006, 40008);
        assertThat(p.allocate()).isEqualTo(OptionalInt.empty());
        assertThat(p.inUse()).isEqualTo(4);
        assertThat(p.release(40004)).isTrue();
        assertThat(p.allocate()).hasValue(40004);
    }

    @Test
    void reusesReleasedPairsLast() {
        PortAllocator p = new PortAllocator(40000, 40005);
        int first = p.allocate().orElseThrow();
        p.release(first);
        assertThat(p.allocate()).hasValue(40002);
        assertThat(p.allocate()).hasValue(40004);
        assertThat(p.allocate()).hasValue(first);
    }

    @Test
    void refusesReleasesOfPortsNotAllocated() {
        PortAllocator p = new PortAllocator(40000, 40009);
        int port = p.allocate().orElseThrow();
        assertThat(p.release(port + 1)).isFalse();
        assertThat(p.release(39998)).isFalse();
        assertThat(p.release(40010)).isFalse();
        assertThat(p.release(port + 2)).isFalse();
        assertThat(p.release(port)).isTrue();
        assertThat(p.release(port)).isFalse();
        assertThat(p.inUse()).isZero();
    }

    @Test
    void rejectsBadRanges() {
        assertThatThrownBy(() -> new PortAllocator(500, 600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortAllocator(40001, 40001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortAllocator(40001, 40002)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverHandsOneOutTwiceUnderConcurrency() throws Exception {
        PortAllocator p = new PortAllocator(40000, 40199);
        Set<Integer> held = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int clashes = 0;
                    for (int i = 0; i < 20_000; i++) {
                        OptionalInt port = p.allocate();
                        if (port.isEmpty()) {
                            continue;
                        }
                        if (!held.add(port.getAsInt())) {
                            clashes++;
                        }
                        held.remove(port.getAsInt());
                        p.release(port.getAsInt());
                    }
                    return clashes;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isZero();
            }
        }
        assertThat(p.inUse()).isZero();
        assertThat(p.capacity()).isEqualTo(100);
    }
}
