package org.icgw.policy.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.Terminal;

/** A {@link PolicyView} over plain maps, for decision tests without a database. */
final class InMemoryPolicyView implements PolicyView {
    final Map<String, Facility> facilities = new HashMap<>();
    final Map<String, Terminal> terminals = new HashMap<>();
    final Map<String, Inmate> inmates = new HashMap<>();
    final Map<String, Account> accounts = new HashMap<>();
    final List<Block> blocks = new ArrayList<>();
    final List<PrivilegedNumber> privileged = new ArrayList<>();
    final List<Rate> rates = new ArrayList<>();
    final Map<String, List<Instant>> terminalFailures = new HashMap<>();
    final Map<String, List<Instant>> inmateFailures = new HashMap<>();
    final Map<String, List<Instant>> acceptedCalls = new HashMap<>();

    @Override
    public Optional<Terminal> terminalByUsername(String sipUsername) {
        return terminals.values().stream().filter(t -> t.sipUsername().equals(sipUsername)).findFirst();
    }

    @Override
    public Optional<Facility> facility(String facilityId) {
        return Optional.ofNullable(facilities.get(facilityId));
    }

    @Override
    public Optional<Inmate> inmate(String inmateId) {
        return Optional.ofNullable(inmates.get(inmateId));
    }

    @Override
    public Optional<Inmate> inmateByPinIndex(String facilityId, String pinIndex) {
        return inmates.values().stream()
                .filter(i -> i.facilityId().equals(facilityId) && i.pinIndex().equals(pinIndex)).findFirst();
    }

    @Override
    public List<Instant> terminalPinFailuresSince(String terminalId, Instant since) {
        return terminalFailures.getOrDefault(terminalId, List.of()).stream().filter(t -> !t.isBefore(since)).toList();
    }

    @Override
    public List<Instant> inmatePinFailuresSince(String inmateId, Instant since) {
        return inmateFailures.getOrDefault(inmateId, List.of()).stream().filter(t -> !t.isBefore(since)).toList();
    }

    @Override
    public int acceptedCallsSince(String inmateId, Instant since) {
        return (int) acceptedCalls.getOrDefault(inmateId, List.of()).stream().filter(t -> !t.isBefore(since)).count();
    }

    @Override
    public boolean isBlocked(String e164, String facilityId, Instant at) {
        return blocks.stream().anyMatch(b -> b.number().equals(e164) && b.applies(facilityId, at));
    }

    @Override
    public Optional<PrivilegedNumber> privilegedNumber(String e164, String facilityId) {
        return privileged.stream().filter(p -> p.number().equals(e164)
                && p.facilityId().map(facilityId::equals).orElse(true)).findFirst();
    }

    @Override
    public List<Account> accountsForNumber(String e164) {
        return accounts.values().stream().filter(a -> a.type() != AccountType.DEBIT
                && a.billingNumbers().contains(e164)).toList();
    }

    @Override
    public Optional<Account> debitAccount(String inmateId) {
        return accounts.values().stream().filter(a -> a.type() == AccountType.DEBIT
                && a.inmateId().equals(Optional.of(inmateId))).findFirst();
    }

    @Override
    public Optional<Rate> rate(String facilityId, CallClass callClass) {
        return rates.stream().filter(r -> r.facilityId().equals(facilityId) && r.callClass() == callClass).findFirst();
    }
}
