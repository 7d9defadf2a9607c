package org.icgw.gateway.sip.torture;

import java.util.Arrays;
import java.util.Collections;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the gateway must answer to one message: a final status out of {@code statuses}, or nothing
 * at all when {@code silenceAllowed} (a response, which is never answered, or a TCP request whose
 * body has not arrived yet).
 */
public record Outcome(SortedSet<Integer> statuses, boolean silenceAllowed) {

    public Outcome {
        statuses = Collections.unmodifiableSortedSet(new TreeSet<>(statuses));
        if (statuses.isEmpty() && !silenceAllowed) {
            throw new IllegalArgumentException("an outcome needs a status or silence");
        }
        if (statuses.stream().anyMatch(s -> s < 100 || s > 699)) {
            throw new IllegalArgumentException("not a SIP status: " + statuses);
        }
    }

    /** One of these final statuses. */
    public static Outcome status(int... codes) {
        return new Outcome(Arrays.stream(codes).boxed().collect(Collectors.toCollection(TreeSet::new)), false);
    }

    /** No answer at all. */
    public static Outcome silence() {
        return new Outcome(new TreeSet<>(), true);
    }

    /** This outcome, or no answer. */
    public Outcome orSilence() {
        return new Outcome(statuses, true);
    }

    /** Whether a final answer with {@code status} (empty: none came) is what the gateway must give. */
    public boolean accepts(OptionalInt status) {
        return status.isEmpty() ? silenceAllowed : statuses.contains(status.getAsInt());
    }

    /** Whether some answer must come. */
    public boolean needsAnswer() {
        return !silenceAllowed;
    }

    /** The outcome as the corpus README writes it: {@code 401}, {@code 400 or 401}, {@code no answer}. */
    public String describe() {
        String codes = statuses.stream().map(String::valueOf).collect(Collectors.joining(" or "));
        if (!silenceAllowed) {
            return codes;
        }
        return codes.isEmpty() ? "no answer" : codes + " or no answer";
    }
}
