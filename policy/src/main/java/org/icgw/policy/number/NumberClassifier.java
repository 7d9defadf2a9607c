package org.icgw.policy.number;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.icgw.policy.model.CallClass;

/**
 * Classifies a dialed number for a facility: normalises it to E.164 with libphonenumber under the
 * facility region's dialling rules, then decides its {@link NumberKind} and {@link CallClass}.
 *
 * <p>The order of decisions, first match wins:
 * <ol>
 *   <li>{@link NumberKind#INVALID}: empty, longer than {@value #MAX_DIALED_LENGTH} characters, a
 *       character other than ASCII digits, spaces and {@code ( ) - . /} (so no vanity letters,
 *       {@code *} or {@code #}), a {@code +} other than one before the first digit,
 *       unparseable, or a NANP {@code NXX-555-1212} directory-assistance number;
 *   <li>{@link NumberKind#TOLL_FREE}: a ten-digit NANP number in a toll-free NPA (800, 833, 844,
 *       855, 866, 877, 888, and the reserved 822, 880-887, 889), valid per libphonenumber or not,
 *       so that a code opened after this libphonenumber release is never billed as geographic;
 *   <li>{@link NumberKind#PREMIUM}: a ten-digit NANP number in NPA 900 or 976 (976 is no NPA; a
 *       caller writing it means a pay-per-call line);
 *   <li>{@link NumberKind#INVALID}: not a valid number per libphonenumber (short codes such as
 *       911 and 411, wrong length, unassigned ranges);
 *   <li>{@link NumberKind#TOLL_FREE} / {@link NumberKind#PREMIUM}: libphonenumber's
 *       {@code TOLL_FREE} / {@code PREMIUM_RATE} anywhere (+800 UIFN, UK 09...), and a NANP
 *       number whose exchange (NXX) is 976;
 *   <li>{@link NumberKind#INTERNATIONAL}: the number's region is outside the facility's country.
 *       The country is the facility's libphonenumber region, except that US, PR, VI, GU, AS and MP
 *       together form the US: a call between them is domestic (interstate), while Canada and
 *       the Caribbean nations share country code 1 but are international, as US inmate calling
 *       tariffs treat them. Local prefixes never make a foreign number local;
 *   <li>{@link NumberKind#GEOGRAPHIC}: everything else that is valid (fixed, mobile, VoIP, NANP
 *       5XX personal numbers).
 * </ol>
 *
 * <p>A domestic number's call class: {@link CallClass#LOCAL} if its E.164 form starts with one of
 * the plan's local prefixes; otherwise, for NANP, {@link CallClass#INTRASTATE} if
 * {@link NanpAreaCodes} lists the plan's state among its NPA's states and
 * {@link CallClass#INTERSTATE} if not, an NPA of unknown state (5XX, a new overlay missing from
 * the table) included; outside the NANP every domestic number is {@link CallClass#INTRASTATE}.
 *
 * <p>Numbers in 555-0100..0199 (reserved as fictional) stay {@link NumberKind#GEOGRAPHIC}, as
 * libphonenumber has them: test rigs and demos dial them against a local trunk.
 *
 * <p>Immutable and thread-safe: no mutable state; libphonenumber's {@link PhoneNumberUtil} is
 * itself thread-safe.
 */
public final class NumberClassifier {
    /** Longer input is rejected before parsing; libphonenumber's own limit is 250. */
    public static final int MAX_DIALED_LENGTH = 64;

    private static final int NANP_COUNTRY_CODE = 1;
    private static final Set<String> NANP_TOLL_FREE_NPAS = Set.of(
            "800", "833", "844", "855", "866", "877", "888",
            "822", "880", "881", "882", "883", "884", "885", "886", "887", "889");
    private static final Set<String> NANP_PREMIUM_NPAS = Set.of("900", "976");
    private static final String NANP_PREMIUM_NXX = "976";
    private static final String NANP_DIRECTORY_ASSISTANCE = "5551212";
    private static final Set<String> US_REGIONS = Set.of("US", "PR", "VI", "GU", "AS", "MP");

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final NanpAreaCodes areaCodes;

    /** A classifier that takes NANP states from {@code areaCodes}. */
    public NumberClassifier(NanpAreaCodes areaCodes) {
        this.areaCodes = Objects.requireNonNull(areaCodes, "areaCodes");
    }

    /** The shared classifier over {@link NanpAreaCodes#standard()}, loaded once on first use. */
    public static NumberClassifier standard() {
        return Standard.INSTANCE;
    }

    /** The table this classifier takes NANP states from. */
    public NanpAreaCodes areaCodes() {
        return areaCodes;
    }

    /**
     * Classifies {@code dialed} as received (e.g. {@code "(573) 555-0100"}, {@code "011 44 20 7946
     * 0958"}) for a facility with {@code plan}. Never throws for any input string.
     */
    public ClassifiedNumber classify(String dialed, NumberPlan plan) {
        Objects.requireNonNull(dialed, "dialed");
        Objects.requireNonNull(plan, "plan");
        if (!wellFormed(dialed)) {
            return ClassifiedNumber.invalid(dialed);
        }
        PhoneNumber number;
        try {
            number = util.parse(dialed, plan.region());
        } catch (NumberParseException e) {
            return ClassifiedNumber.invalid(dialed);
        }
        String e164 = util.format(number, PhoneNumberFormat.E164);
        boolean facilityInNanp = util.getCountryCodeForRegion(plan.region()) == NANP_COUNTRY_CODE;
        String national = number.getCountryCode() == NANP_COUNTRY_CODE
                ? util.getNationalSignificantNumber(number) : "";
        boolean nanpShaped = national.length() == 10 && national.charAt(3) >= '2';
        if (nanpShaped) {
            String npa = national.substring(0, 3);
            Optional<CallClass> nonGeographic =
                    facilityInNanp ? Optional.empty() : Optional.of(CallClass.INTERNATIONAL);
            if (national.endsWith(NANP_DIRECTORY_ASSISTANCE)) {
                return ClassifiedNumber.invalid(dialed);
            }
            if (NANP_TOLL_FREE_NPAS.contains(npa)) {
                return result(dialed, NumberKind.TOLL_FREE, e164, nonGeographic);
            }
            if (NANP_PREMIUM_NPAS.contains(npa)) {
                return result(dialed, NumberKind.PREMIUM, e164, nonGeographic);
            }
        }
        // isValidNumber(number) is these two calls; one region lookup then serves both uses.
        String region = util.getRegionCodeForNumber(number);
        if (region == null || !util.isValidNumberForRegion(number, region)) {
            return ClassifiedNumber.invalid(dialed);
        }
        boolean domestic = domesticRegions(plan.region()).contains(region);
        PhoneNumberType type = util.getNumberType(number);
        Optional<CallClass> foreign = domestic ? Optional.empty() : Optional.of(CallClass.INTERNATIONAL);
        if (type == PhoneNumberType.TOLL_FREE) {
            return result(dialed, NumberKind.TOLL_FREE, e164, foreign);
        }
        if (type == PhoneNumberType.PREMIUM_RATE) {
            return result(dialed, NumberKind.PREMIUM, e164, foreign);
        }
        boolean premiumExchange = nanpShaped && national.startsWith(NANP_PREMIUM_NXX, 3);
        if (!domestic) {
            NumberKind kind = premiumExchange ? NumberKind.PREMIUM : NumberKind.INTERNATIONAL;
            return result(dialed, kind, e164, foreign);
        }
        CallClass callClass = domesticClass(e164, national, plan);
        NumberKind kind = premiumExchange ? NumberKind.PREMIUM : NumberKind.GEOGRAPHIC;
        return result(dialed, kind, e164, Optional.of(callClass));
    }

    private CallClass domesticClass(String e164, String nanpNational, NumberPlan plan) {
        for (String prefix : plan.localPrefixes()) {
            if (e164.startsWith(prefix)) {
                return CallClass.LOCAL;
            }
        }
        if (nanpNational.isEmpty()) {
            return CallClass.INTRASTATE;
        }
        return areaCodes.statesOf(nanpNational.substring(0, 3)).contains(plan.state())
                ? CallClass.INTRASTATE : CallClass.INTERSTATE;
    }

    private static Set<String> domesticRegions(String facilityRegion) {
        return US_REGIONS.contains(facilityRegion) ? US_REGIONS : Set.of(facilityRegion);
    }

    private static boolean wellFormed(String dialed) {
        if (dialed.length() > MAX_DIALED_LENGTH) {
            return false;
        }
        boolean anyDigit = false;
        for (int i = 0; i < dialed.length(); i++) {
            char c = dialed.charAt(i);
            if (c >= '0' && c <= '9') {
                anyDigit = true;
            } else if (c == '+') {
                if (anyDigit || dialed.indexOf('+', i + 1) >= 0) {
                    return false;
                }
            } else if (" ()-./\t".indexOf(c) < 0) {
                return false;
            }
        }
        return anyDigit;
    }

    private static ClassifiedNumber result(
            String dialed, NumberKind kind, String e164, Optional<CallClass> callClass) {
        return new ClassifiedNumber(dialed, kind, Optional.of(e164), callClass);
    }

    /** Lazy holder: the table is read once, on the first call of {@link #standard()}. */
    private static final class Standard {
        static final NumberClassifier INSTANCE = new NumberClassifier(NanpAreaCodes.standard());
    }
}
