package org.icgw.policy.number;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Thread safety by design: no field can change, and parallel use gives the sequential results. */
class NumberClassifierConcurrencyTest {
    private static final List<String> DIALED = List.of(
            "(573) 555-0100", "1-800-555-0199", "011 44 20 7946 0958", "+1 416 555 0123", "911",
            "212 555 0100", "(573) 634-0100", "1-900-555-0100", "573-555-CALL", "816 555 0100",
            "+52 55 1234 5678", "1 876 234 5678", "", "1 787 234 5678", "(573) 976-1234");
    private static final int THREADS = 4;
    private static final int ROUNDS = 500;

    @Test
    void everyFieldIsFinal() {
        for (Class<?> type : List.of(NumberClassifier.class, NanpAreaCodes.class)) {
            for (Field field : type.getDeclaredFields()) {
                assertThat(Modifier.isFinal(field.getModifiers())).as(type.getSimpleName() + "." + field.getName())
                        .isTrue();
            }
        }
    }

    @Test
    void parallelCallsGiveTheSequentialResults() throws Exception {
        NumberClassifier classifier = NumberClassifier.standard();
        NumberPlan plan = NumberPlan.of("US", "MO", "+1573634");
        List<ClassifiedNumber> expected = DIALED.stream().map(d -> classifier.classify(d, plan)).toList();

        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int offset = t;
            tasks.add(() -> {
                start.await();
                int mismatches = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < DIALED.size(); i++) {
                        int k = (i + offset + round) % DIALED.size();
                        if (!classifier.classify(DIALED.get(k), plan).equals(expected.get(k))) {
                            mismatches++;
                        }
                    }
                }
                return mismatches;
            });
        }
        List<Integer> mismatches = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<Integer>> futures = tasks.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Integer> future : futures) {
                mismatches.add(future.get(60, TimeUnit.SECONDS));
            }
        }
        assertThat(mismatches).containsExactly(0, 0, 0, 0);
    }
}
