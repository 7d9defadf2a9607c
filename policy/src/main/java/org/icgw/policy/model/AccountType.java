package org.icgw.policy.model;

/**
 * Who pays for a call.
 *
 * <ul>
 *   <li>{@link #PREPAID}: AdvanceConnect-style, owned by a family member, funds calls to its
 *       billing telephone numbers; balance never below zero.</li>
 *   <li>{@link #DIRECT_BILL}: billed monthly to the called number; what is owed never above the
 *       credit limit.</li>
 *   <li>{@link #DEBIT}: the inmate's own funds; may call any number the rules allow.</li>
 * </ul>
 */
public enum AccountType {
    PREPAID,
    DIRECT_BILL,
    DEBIT
}
