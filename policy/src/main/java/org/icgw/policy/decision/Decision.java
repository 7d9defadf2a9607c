package org.icgw.policy.decision;

import java.util.Optional;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.number.ClassifiedNumber;

/** The outcome of the policy for one call: a value, never an exception. */
public sealed interface Decision {

    /**
     * The call may go ahead.
     *
     * @param number          the classified number, with its E.164 form and call class
     * @param account         who pays
     * @param rate            the price for the call class
     * @param maxSeconds      how long the call may last: the facility's limit or what the money
     *                        allows, whichever is less
     * @param record          whether to record (privileged calls never are)
     * @param privileged      whether the number is privileged (attorney and similar)
     * @param threeWayAction  what to do on a three-way-call attempt
     */
    record Allow(Caller caller, ClassifiedNumber number, Account account, Rate rate, long maxSeconds,
                 boolean record, boolean privileged, ThreeWayAction threeWayAction) implements Decision {
    }

    /**
     * The call may not go ahead, for exactly one reason; what was learned before the failing
     * check is kept for the CDR.
     */
    record Deny(DenyReason reason, Optional<Terminal> terminal, Optional<Facility> facility,
                Optional<Inmate> inmate, Optional<ClassifiedNumber> number) implements Decision {
    }

    static Allow allow(Caller caller, ClassifiedNumber number, Account account, Rate rate, long maxSeconds,
                       boolean privileged, ThreeWayAction action) {
        return new Allow(caller, number, account, rate, maxSeconds, !privileged, privileged, action);
    }

    static Deny deny(DenyReason reason) {
        return new Deny(reason, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    default boolean allowed() {
        return this instanceof Allow;
    }
}
