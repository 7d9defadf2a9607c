package org.icgw.policy.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.icgw.policy.StrictObject;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallingHours;
import org.icgw.policy.model.DigitMap;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.RateTier;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.TerminalKind;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.pin.PinHasher;

/**
 * Provisions a store from a YAML seed file, all or nothing.
 *
 * <p>The file has up to seven lists, each item keyed in snake_case as the admin API spells the
 * fields: {@code facilities}, {@code inmates}, {@code terminals}, {@code accounts}, {@code rates},
 * {@code privileged_numbers}, {@code blocks} (see {@code deploy/seed/demo.yaml}). The whole file is
 * read and checked first (unknown keys, types, required fields, enum values, PIN form), then
 * written in one transaction ({@link PolicyStore#atomically}), where the store checks references
 * and rate caps. Any problem is a {@link ValidationException} whose field is the path in the file
 * ({@code inmates[3].status}), and nothing is written.
 *
 * <p>Plain PINs in the file are stored only as their Argon2id hash and keyed index. An account's
 * {@code opening_balance_cents} is its balance when it is created, written directly rather than
 * as deposits (a deposit is capped at $50.00 and stands for a payment that happened); loading
 * the same file again leaves existing balances alone, updates everything else in place and adds
 * no block that is already in force.
 */
public final class SeedLoader {

    /** How many items of each kind a seed provisioned. */
    public record Summary(int facilities, int inmates, int terminals, int accounts, int rates,
                          int privilegedNumbers, int blocks) {
    }

    private static final Set<String> TOP = Set.of("facilities", "inmates", "terminals", "accounts", "rates",
            "privileged_numbers", "blocks");

    private SeedLoader() {
    }

    /** Loads the seed file at {@code file}. */
    public static Summary load(Path file, PolicyStore store, PinHasher pins, Instant now) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, store, pins, now);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed file " + file, e);
        }
    }

    /** Loads a seed from {@code in}. */
    public static Summary load(InputStream in, PolicyStore store, PinHasher pins, Instant now) {
        Seed seed = parse(in, pins);
        store.atomically(s -> seed.apply(s, now));
        return new Summary(seed.facilities.size(), seed.inmates.size(), seed.terminals.size(), seed.accounts.size(),
                seed.rates.size(), seed.privileged.size(), seed.blocks.size());
    }

    private record Item<T>(String path, T value) {
    }

    private record PendingBlock(String number, BlockScope scope, Optional<String> facilityId, BlockOrigin origin,
                                String note) {
    }

    private record PendingInmate(Inmate inmate, int pinDigits) {
    }

    /** A parsed seed, not yet written. */
    private static final class Seed {
        final List<Item<Facility>> facilities = new ArrayList<>();
        final List<Item<PendingInmate>> inmates = new ArrayList<>();
        final List<Item<Terminal>> terminals = new ArrayList<>();
        final List<Item<Account>> accounts = new ArrayList<>();
        final List<Item<Rate>> rates = new ArrayList<>();
        final List<Item<PrivilegedNumber>> privileged = new ArrayList<>();
        final List<Item<PendingBlock>> blocks = new ArrayList<>();

        void apply(PolicyStore s, Instant now) {
            for (Item<Facility> f : facilities) {
                under(f.path, () -> s.saveFacility(f.value));
            }
            for (Item<PendingInmate> m : inmates) {
                under(m.path, () -> {
                    Inmate inmate = m.value.inmate();
                    Facility f = s.facility(inmate.facilityId()).orElseThrow(() ->
                            new ValidationException("facility_id", "no facility '" + inmate.facilityId() + "'"));
                    if (m.value.pinDigits() != f.pinLength()) {
                        throw new ValidationException("pin", "must have " + f.pinLength()
                                + " digits, the pin_length of facility '" + f.id() + "'");
                    }
                    s.saveInmate(inmate);
                });
            }
            for (Item<Terminal> t : terminals) {
                under(t.path, () -> s.saveTerminal(t.value));
            }
            for (Item<Account> a : accounts) {
                under(a.path, () -> s.saveAccount(a.value));
            }
            for (Item<Rate> r : rates) {
                under(r.path, () -> s.saveRate(r.value, now));
            }
            for (Item<PrivilegedNumber> p : privileged) {
                under(p.path, () -> s.savePrivilegedNumber(p.value));
            }
            List<Block> inForce = blocks.isEmpty() ? List.of() : s.blocks(false);
            for (Item<PendingBlock> b : blocks) {
                PendingBlock p = b.value;
                boolean present = inForce.stream().anyMatch(x -> x.number().equals(p.number()) && x.scope() == p.scope()
                        && x.facilityId().equals(p.facilityId()) && x.origin() == p.origin());
                if (!present) {
                    under(b.path, () -> s.addBlock(p.number(), p.scope(), p.facilityId(), p.origin(), now, p.note()));
                }
            }
        }

        private static void under(String path, Runnable write) {
            try {
                write.run();
            } catch (ValidationException e) {
                throw e.under(path);
            }
        }
    }

    // ---------------------------------------------------------------- parsing

    private static Seed parse(InputStream in, PinHasher pins) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = yaml.readTree(in);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new ValidationException("seed", "not valid YAML"
                    + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed", e);
        }
        Seed seed = new Seed();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return seed;
        }
        if (!root.isObject()) {
            throw new ValidationException("seed", "must be a mapping of lists (facilities, inmates, ...)");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP.contains(key)) {
                throw new ValidationException(key, "unknown key; expected one of " + String.join(", ", sorted(TOP)));
            }
        }
        int i = 0;
        for (JsonNode n : list(root, "facilities")) {
            String p = "facilities[" + i++ + "]";
            seed.facilities.add(new Item<>(p, facility(new StrictObject(n, p, FACILITY_KEYS, StrictObject.Words.YAML))));
        }
        i = 0;
        for (JsonNode n : list(root, "inmates")) {
            String p = "inmates[" + i++ + "]";
            seed.inmates.add(new Item<>(p, inmate(new StrictObject(n, p, INMATE_KEYS, StrictObject.Words.YAML), pins)));
        }
        i = 0;
        for (JsonNode n : list(root, "terminals")) {
            String p = "terminals[" + i++ + "]";
            seed.terminals.add(new Item<>(p, terminal(new StrictObject(n, p, TERMINAL_KEYS, StrictObject.Words.YAML))));
        }
        i = 0;
        for (JsonNode n : list(root, "accounts")) {
            String p = "accounts[" + i++ + "]";
            seed.accounts.add(new Item<>(p, account(new StrictObject(n, p, ACCOUNT_KEYS, StrictObject.Words.YAML))));
        }
        i = 0;
        for (JsonNode n : list(root, "rates")) {
            String p = "rates[" + i++ + "]";
            StrictObject o = new StrictObject(n, p, RATE_KEYS, StrictObject.Words.YAML);
            seed.rates.add(new Item<>(p, new Rate(o.text("facility_id"), o.wire("call_class", CallClass.class, null),
                    o.integer("cents_per_minute", null), o.integer("increment_seconds", Rate.DEFAULT_INCREMENT_SECONDS))));
        }
        i = 0;
        for (JsonNode n : list(root, "privileged_numbers")) {
            String p = "privileged_numbers[" + i++ + "]";
            StrictObject o = new StrictObject(n, p, PRIVILEGED_KEYS, StrictObject.Words.YAML);
            seed.privileged.add(new Item<>(p, new PrivilegedNumber(o.text("number"), o.optText("facility_id"),
                    o.text("label"))));
        }
        i = 0;
        for (JsonNode n : list(root, "blocks")) {
            String p = "blocks[" + i++ + "]";
            StrictObject o = new StrictObject(n, p, BLOCK_KEYS, StrictObject.Words.YAML);
            seed.blocks.add(new Item<>(p, new PendingBlock(o.text("number"), o.wire("scope", BlockScope.class, null),
                    o.optText("facility_id"), o.wire("origin", BlockOrigin.class, BlockOrigin.STAFF),
                    o.optText("note").orElse(""))));
        }
        return seed;
    }

    /** The members of a facility, in the seed file and in the admin API. */
    public static final Set<String> FACILITY_KEYS = Set.of("id", "name", "name_prompt", "time_zone", "calling_hours",
            "max_call_minutes", "announcement_interval_seconds", "ani", "rate_tier", "digit_map", "lockdown", "region",
            "state", "local_prefixes", "access_code", "pin_length", "three_way_action", "international_allowed");
    private static final Set<String> DIGIT_MAP_KEYS = Set.of("accept", "refuse", "block", "rate");
    private static final Set<String> INMATE_KEYS = Set.of("id", "facility_id", "name", "name_recording", "pin",
            "status", "language", "calls_per_day", "pan_enforced", "allowed_numbers");
    private static final Set<String> TERMINAL_KEYS = Set.of("id", "facility_id", "sip_username", "sip_password", "kind",
            "enabled", "assigned_inmate_id");
    private static final Set<String> ACCOUNT_KEYS = Set.of("id", "type", "owner_name", "inmate_id", "billing_numbers",
            "credit_limit_cents", "opening_balance_cents");
    private static final Set<String> RATE_KEYS = Set.of("facility_id", "call_class", "cents_per_minute",
            "increment_seconds");
    private static final Set<String> PRIVILEGED_KEYS = Set.of("number", "facility_id", "label");
    private static final Set<String> BLOCK_KEYS = Set.of("number", "scope", "facility_id", "origin", "note");

    private static Facility facility(StrictObject o) {
        return readFacility(o, o.text("id"));
    }

    /**
     * A facility from its members as the seed file and the admin API spell them
     * ({@link #FACILITY_KEYS}); the defaults are the contract's.
     */
    public static Facility readFacility(StrictObject o, String id) {
        String name = o.text("name");
        Optional<String> prompt = o.optText("name_prompt");
        ZoneId zone;
        try {
            zone = ZoneId.of(o.text("time_zone"));
        } catch (DateTimeException e) {
            throw new ValidationException(o.path("time_zone"), "not a time zone such as America/Chicago");
        }
        CallingHours hours;
        try {
            hours = o.has("calling_hours") ? CallingHours.parse(o.text("calling_hours")) : CallingHours.ALWAYS;
        } catch (IllegalArgumentException e) {
            throw new ValidationException(o.path("calling_hours"), e.getMessage());
        }
        DigitMap digits = DigitMap.DEFAULT;
        if (o.has("digit_map")) {
            StrictObject d = o.object("digit_map", DIGIT_MAP_KEYS).orElseThrow();
            try {
                digits = new DigitMap(d.key("accept", DigitMap.DEFAULT.accept()), d.key("refuse", DigitMap.DEFAULT.refuse()),
                        d.key("block", DigitMap.DEFAULT.block()), d.key("rate", DigitMap.DEFAULT.rate()));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(o.path("digit_map"), e.getMessage());
            }
        }
        return new Facility(id, name, prompt, zone, hours,
                o.integer("max_call_minutes", Facility.DEFAULT_MAX_CALL_MINUTES),
                o.integer("announcement_interval_seconds", Facility.DEFAULT_ANNOUNCEMENT_SECONDS), o.text("ani"),
                o.wire("rate_tier", RateTier.class, null), digits, o.bool("lockdown", false),
                o.optText("region").orElse("US"), o.text("state"), o.texts("local_prefixes"),
                o.optText("access_code").orElse(Facility.DEFAULT_ACCESS_CODE),
                o.integer("pin_length", Facility.DEFAULT_PIN_LENGTH),
                o.wire("three_way_action", ThreeWayAction.class, ThreeWayAction.DISCONNECT),
                o.bool("international_allowed", false));
    }

    private static PendingInmate inmate(StrictObject o, PinHasher pins) {
        String id = o.text("id");
        String facilityId = o.text("facility_id");
        String name = o.text("name");
        String pin = o.text("pin");
        if (!PinHasher.wellFormed(pin)) {
            throw new ValidationException(o.path("pin"), "must be 4 to 12 digits, quoted (\"004417\")");
        }
        Inmate inmate = new Inmate(id, facilityId, name, o.optText("name_recording"), pins.hash(pin),
                pins.index(facilityId, pin), o.wire("status", InmateStatus.class, InmateStatus.ACTIVE),
                o.optText("language").orElse("en"), o.integer("calls_per_day", 0), o.bool("pan_enforced", false),
                o.texts("allowed_numbers"));
        return new PendingInmate(inmate, pin.length());
    }

    private static Terminal terminal(StrictObject o) {
        return new Terminal(o.text("id"), o.text("facility_id"), o.text("sip_username"), o.text("sip_password"),
                o.wire("kind", TerminalKind.class, TerminalKind.PHONE), o.bool("enabled", true),
                o.optText("assigned_inmate_id"));
    }

    private static Account account(StrictObject o) {
        return new Account(o.text("id"), o.wire("type", AccountType.class, null), o.text("owner_name"),
                o.optText("inmate_id"), o.texts("billing_numbers"), o.longValue("opening_balance_cents", 0L),
                o.longValue("credit_limit_cents", 0L), 0L);
    }

    private static List<JsonNode> list(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new ValidationException(key, "must be a list");
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
