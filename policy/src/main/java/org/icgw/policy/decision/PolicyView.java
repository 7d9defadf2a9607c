package org.icgw.policy.decision;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.Terminal;

/**
 * What the decision reads: a small read-only view of the provisioned data. The JDBC store
 * implements it; decision tests use an in-memory one.
 */
public interface PolicyView {

    Optional<Terminal> terminalByUsername(String sipUsername);

    Optional<Facility> facility(String facilityId);

    Optional<Inmate> inmate(String inmateId);

    /** The inmate of a facility whose PIN index is {@code pinIndex}. */
    Optional<Inmate> inmateByPinIndex(String facilityId, String pinIndex);

    /** Wrong-PIN times on a terminal at or after {@code since}, oldest first. */
    List<Instant> terminalPinFailuresSince(String terminalId, Instant since);

    /** Wrong-PIN times counted against an inmate at or after {@code since}, oldest first. */
    List<Instant> inmatePinFailuresSince(String inmateId, Instant since);

    /** Calls of this inmate that the callee accepted, started at or after {@code since}. */
    int acceptedCallsSince(String inmateId, Instant since);

    /** Whether a block on this E.164 number stops a call from this facility at {@code at}. */
    boolean isBlocked(String e164, String facilityId, Instant at);

    Optional<PrivilegedNumber> privilegedNumber(String e164, String facilityId);

    /** Prepaid and direct-bill accounts that pay for calls to this E.164 number. */
    List<Account> accountsForNumber(String e164);

    /** The inmate's own debit account. */
    Optional<Account> debitAccount(String inmateId);

    Optional<Rate> rate(String facilityId, CallClass callClass);
}
