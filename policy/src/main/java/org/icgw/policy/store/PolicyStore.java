package org.icgw.policy.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.icgw.policy.decision.PolicyView;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AuditEntry;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Deposit;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.RejectedWrite;
import org.icgw.policy.model.Terminal;

/**
 * The provisioned data, the money and the call records, in one database (embedded H2 or
 * PostgreSQL: one schema, one behaviour).
 *
 * <p>Every write is one transaction: it either happens whole or, with a
 * {@link org.icgw.policy.ValidationException} naming the field, not at all.
 */
public interface PolicyStore extends PolicyView, AutoCloseable {

    void saveFacility(Facility facility);

    List<Facility> facilities();

    void saveTerminal(Terminal terminal);

    Optional<Terminal> terminal(String terminalId);

    List<Terminal> terminals(Optional<String> facilityId);

    /** Saves the inmate with its PAN list; the PIN hash and index come already computed. */
    void saveInmate(Inmate inmate);

    List<Inmate> inmates(Optional<String> facilityId);

    /** Saves an account's identity and numbers; its balance changes only through deposits and calls. */
    void saveAccount(Account account);

    Optional<Account> account(String accountId);

    List<Account> accounts();

    /**
     * Pays {@code amountCents} into a prepaid or debit account.
     *
     * @throws org.icgw.policy.ValidationException over $50.00, not positive, unknown account, or a
     *                                             direct-bill account
     */
    Deposit deposit(String accountId, long amountCents, String reference, Instant at);

    List<Deposit> deposits(String accountId);

    Block addBlock(String e164, BlockScope scope, Optional<String> facilityId, BlockOrigin origin, Instant at,
                   String note);

    /** Lifts a block; true when it was in force. */
    boolean liftBlock(long blockId, Instant at);

    List<Block> blocks(boolean includeLifted);

    void savePrivilegedNumber(PrivilegedNumber number);

    List<PrivilegedNumber> privilegedNumbers();

    /** @throws org.icgw.policy.ValidationException above the facility tier's cap on {@code at} */
    void saveRate(Rate rate, Instant at);

    List<Rate> rates(String facilityId);

    void recordPinFailure(String terminalId, Optional<String> inmateId, Instant at);

    void saveCallRecord(CallRecord record);

    List<CallRecord> callRecords(CdrQuery query);

    Optional<CallRecord> callRecord(String callId);

    CreditControl credit();

    /**
     * Appends an entry to the audit log of changes made through the admin API. Inside
     * {@link #atomically} it commits or rolls back with the change it describes.
     *
     * @throws org.icgw.policy.ValidationException for an empty actor, method or path
     */
    AuditEntry audit(String actor, String method, String path, Optional<String> entityId, Instant at);

    /** The audit log, newest first ({@code at} descending, then id), paged. */
    List<AuditEntry> auditLog(int offset, int limit);

    /**
     * Keeps a write that the store refused even after repair (a CDR, a settlement), so that an
     * operator finds it and the writes queued behind it go on. Every string is cut to its
     * {@link Column}: this write cannot be refused for its data.
     *
     * @param kind    what was refused: {@code cdr} or {@code settlement}
     * @param reason  what the store said
     * @param content the record as text, enough to redo the write by hand
     */
    RejectedWrite setAside(String callId, String kind, String reason, String content, Instant at);

    /** The writes set aside, newest first, paged. */
    List<RejectedWrite> rejectedWrites(int offset, int limit);

    /**
     * Runs several writes as one: every write {@code work} makes on the store it is given happens,
     * or (when {@code work} throws) none does. The seed loader provisions a whole file this way.
     *
     * <p>The default runs {@code work} on this store directly, which is all-or-nothing only for a
     * store whose writes cannot fail halfway (an in-memory fake); {@link JdbcPolicyStore} makes it
     * one database transaction.
     */
    default void atomically(Consumer<PolicyStore> work) {
        work.accept(this);
    }

    /** Whether the database answers now. */
    boolean reachable();

    @Override
    void close();
}
