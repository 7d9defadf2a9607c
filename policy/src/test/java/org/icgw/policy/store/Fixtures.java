package org.icgw.policy.store;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.CallingHours;
import org.icgw.policy.model.DigitMap;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.model.RateTier;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.TerminalKind;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.pin.PinHasher;

/** Sample provisioned data for the storage tests. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-06-01T15:00:00Z");
    static final PinHasher PINS = new PinHasher(PinHasher.Cost.FAST, "test-pepper-0123456789");

    private Fixtures() {
    }

    static Facility facility(String id) {
        return new Facility(id, "Test Jail " + id, Optional.of("prompts/" + id + ".wav"), ZoneId.of("America/Chicago"),
                CallingHours.parse("mon-fri 07:00-22:00, sat,sun 08:00-21:00"), 20, 45, "+15735550100",
                RateTier.MEDIUM_JAIL, new DigitMap('1', '2', '9', '*'), false, "US", "MO", List.of("+1573", "+1660"),
                "0", 6, ThreeWayAction.WARN, true);
    }

    static Inmate inmate(String id, String facilityId, String pin, List<String> allowed) {
        return new Inmate(id, facilityId, "Inmate " + id, Optional.empty(), PINS.hash(pin), PINS.index(facilityId, pin),
                InmateStatus.ACTIVE, "en", 4, !allowed.isEmpty(), allowed);
    }

    static Terminal terminal(String id, String facilityId, String username) {
        return new Terminal(id, facilityId, username, "secret-" + id, TerminalKind.PHONE, true, Optional.empty());
    }

    static Account prepaid(String id, long balance, String... numbers) {
        return new Account(id, AccountType.PREPAID, "Owner " + id, Optional.empty(), List.of(numbers), balance, 0, 0);
    }

    static Account debit(String id, String inmateId, long balance) {
        return new Account(id, AccountType.DEBIT, "Owner " + id, Optional.of(inmateId), List.of(), balance, 0, 0);
    }

    static Account directBill(String id, long limit, String... numbers) {
        return new Account(id, AccountType.DIRECT_BILL, "Owner " + id, Optional.empty(), List.of(numbers), 0, limit, 0);
    }
}
