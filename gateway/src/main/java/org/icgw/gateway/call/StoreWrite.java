package org.icgw.gateway.call;

import java.util.Objects;
import java.util.Optional;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.store.PolicyStore;
import org.icgw.policy.store.Repairs;

/**
 * One write of an ended call that {@link DeferredWrites} runs, keeps while the store is
 * unreachable, repairs when the store refuses its data, and sets aside when even the repair is
 * refused. Running it again must be safe: a CDR is saved by call id, a settlement moves each
 * reservation's money at most once.
 */
public interface StoreWrite {

    /** {@link #kind()} of a call's CDR. */
    String CDR = "cdr";
    /** {@link #kind()} of a call's settlement (its reservations committed or released). */
    String SETTLEMENT = "settlement";

    /** The call the write belongs to. */
    String callId();

    /** What it writes: {@link #CDR} or {@link #SETTLEMENT}. */
    String kind();

    /**
     * Writes it.
     *
     * @throws org.icgw.policy.store.StoreException      the store is unreachable, or refused it
     * @throws org.icgw.policy.ValidationException       the store refused its data before writing
     */
    void run();

    /** The same write with its data made to fit the store; empty when no repair would change it. */
    Optional<StoreWrite> repaired();

    /** The record as text: what an operator needs to redo the write by hand once it is set aside. */
    String content();

    /** A call's CDR; its repair cuts every string to its column and flags the record repaired. */
    static StoreWrite cdr(PolicyStore store, CallRecord record) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(record, "record");
        return new StoreWrite() {
            @Override
            public String callId() {
                return record.callId();
            }

            @Override
            public String kind() {
                return CDR;
            }

            @Override
            public void run() {
                store.saveCallRecord(record);
            }

            @Override
            public Optional<StoreWrite> repaired() {
                return Repairs.callRecord(record).map(r -> cdr(store, r));
            }

            @Override
            public String content() {
                return record.toString();
            }
        };
    }

    /** A write that no repair can change (a settlement: only ids and cents). */
    static StoreWrite unrepairable(String callId, String kind, String content, Runnable work) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(work, "work");
        return new StoreWrite() {
            @Override
            public String callId() {
                return callId;
            }

            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void run() {
                work.run();
            }

            @Override
            public Optional<StoreWrite> repaired() {
                return Optional.empty();
            }

            @Override
            public String content() {
                return content;
            }
        };
    }
}
