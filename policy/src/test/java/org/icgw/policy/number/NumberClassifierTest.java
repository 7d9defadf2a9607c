package org.icgw.policy.number;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.icgw.policy.model.CallClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumberClassifierTest {
    /** A facility in Jefferson City, Missouri; its own exchange 634 and St. Louis 555 are local. */
    private static final NumberPlan MISSOURI = NumberPlan.of("US", "MO", "+1573634", "+1314555");
    private static final NumberPlan ONTARIO = NumberPlan.of("CA", "ON", "+1416");
    private static final NumberPlan PRINCE_EDWARD_ISLAND = NumberPlan.of("CA", "PE");
    private static final NumberPlan PUERTO_RICO = NumberPlan.of("PR", "PR");
    private static final NumberPlan LONDON = NumberPlan.of("GB", "", "+44207946");
    private static final NumberPlan BERLIN = NumberPlan.of("DE", "");

    private final NumberClassifier classifier = NumberClassifier.standard();

    /** Expected values: "-" is an empty Optional. */
    private static void check(ClassifiedNumber actual, String dialed, String kind, String e164, String callClass) {
        assertThat(actual).isEqualTo(new ClassifiedNumber(
                dialed,
                NumberKind.valueOf(kind),
                e164.equals("-") ? Optional.empty() : Optional.of(e164),
                callClass.equals("-") ? Optional.empty() : Optional.of(CallClass.valueOf(callClass))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        // the same number written every way people write or key it
        "(573) 555-0100       | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "(573)555-0100        | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "573-555-0100         | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "573.555.0100         | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "1-573-555-0100       | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "1 (573) 555-0100     | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "+1 573 555 0100      | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "+1 (573) 555-0100    | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "+15735550100         | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "5735550100           | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        "15735550100          | GEOGRAPHIC    | +15735550100  | INTRASTATE",
        // local by prefix, intrastate by the area code's state, interstate otherwise
        "(573) 634-0100       | GEOGRAPHIC    | +15736340100  | LOCAL",
        "314-555-0199         | GEOGRAPHIC    | +13145550199  | LOCAL",
        "314-234-5678         | GEOGRAPHIC    | +13142345678  | INTRASTATE",
        "816 555 0100         | GEOGRAPHIC    | +18165550100  | INTRASTATE",
        "417 234 5678         | GEOGRAPHIC    | +14172345678  | INTRASTATE",
        "235 234 5678         | GEOGRAPHIC    | +12352345678  | INTRASTATE",
        "212 555 0100         | GEOGRAPHIC    | +12125550100  | INTERSTATE",
        "1-212-555-0100       | GEOGRAPHIC    | +12125550100  | INTERSTATE",
        "+1 618 555 0100      | GEOGRAPHIC    | +16185550100  | INTERSTATE",
        "913 555 0100         | GEOGRAPHIC    | +19135550100  | INTERSTATE",
        // US territories are domestic, in no state of the facility's
        "1 787 234 5678       | GEOGRAPHIC    | +17872345678  | INTERSTATE",
        "+1 340 200 1234      | GEOGRAPHIC    | +13402001234  | INTERSTATE",
        "+1 671 200 1234      | GEOGRAPHIC    | +16712001234  | INTERSTATE",
        "+1 684 248 1234      | GEOGRAPHIC    | +16842481234  | INTERSTATE",
        "+1 670 233 1234      | GEOGRAPHIC    | +16702331234  | INTERSTATE",
        // NANP 5XX personal numbers: valid, no state
        "500 234 5678         | GEOGRAPHIC    | +15002345678  | INTERSTATE",
        // toll-free: the seven codes in service and reserved ones libphonenumber does not know yet
        "1-800-555-0199       | TOLL_FREE     | +18005550199  | -",
        "(833) 555-0100       | TOLL_FREE     | +18335550100  | -",
        "844-555-0100         | TOLL_FREE     | +18445550100  | -",
        "1 855 555 0100       | TOLL_FREE     | +18555550100  | -",
        "+1 866 555 0100      | TOLL_FREE     | +18665550100  | -",
        "8775550100           | TOLL_FREE     | +18775550100  | -",
        "18885550100          | TOLL_FREE     | +18885550100  | -",
        "1-822-234-5678       | TOLL_FREE     | +18222345678  | -",
        "880 234 5678         | TOLL_FREE     | +18802345678  | -",
        "887 234 5678         | TOLL_FREE     | +18872345678  | -",
        "889 234 5678         | TOLL_FREE     | +18892345678  | -",
        // premium: NPA 900, NPA 976, exchange 976, premium-rate abroad
        "1-900-555-0100       | PREMIUM       | +19005550100  | -",
        "900 234 5678         | PREMIUM       | +19002345678  | -",
        "1-976-234-5678       | PREMIUM       | +19762345678  | -",
        "(573) 976-1234       | PREMIUM       | +15739761234  | INTRASTATE",
        "212 976 1234         | PREMIUM       | +12129761234  | INTERSTATE",
        "+1 416 976 1234      | PREMIUM       | +14169761234  | INTERNATIONAL",
        "1 246 976 1234       | PREMIUM       | +12469761234  | INTERNATIONAL",
        "+44 909 879 0000     | PREMIUM       | +449098790000 | INTERNATIONAL",
        "011 49 900 1 234567  | PREMIUM       | +499001234567 | INTERNATIONAL",
        // toll-free abroad
        "+800 1234 5678       | TOLL_FREE     | +80012345678  | INTERNATIONAL",
        "011 44 800 123 4567  | TOLL_FREE     | +448001234567 | INTERNATIONAL",
        "1 242 300 1234       | TOLL_FREE     | +12423001234  | INTERNATIONAL",
        // international: 011 and + forms
        "011 44 20 7946 0958  | INTERNATIONAL | +442079460958 | INTERNATIONAL",
        "01144 20 7946 0958   | INTERNATIONAL | +442079460958 | INTERNATIONAL",
        "011442079460958      | INTERNATIONAL | +442079460958 | INTERNATIONAL",
        "+44 20 7946 0958     | INTERNATIONAL | +442079460958 | INTERNATIONAL",
        "011 52 55 1234 5678  | INTERNATIONAL | +525512345678 | INTERNATIONAL",
        "+52 55 1234 5678     | INTERNATIONAL | +525512345678 | INTERNATIONAL",
        "011 881 6 1234 5678  | INTERNATIONAL | +881612345678 | INTERNATIONAL",
        // Canada and the Caribbean share +1 but are other countries
        "+1 416 555 0123      | INTERNATIONAL | +14165550123  | INTERNATIONAL",
        "1-416-234-5678       | INTERNATIONAL | +14162345678  | INTERNATIONAL",
        "(604) 555-0123       | INTERNATIONAL | +16045550123  | INTERNATIONAL",
        "1 876 234 5678       | INTERNATIONAL | +18762345678  | INTERNATIONAL",
        "809 234 5678         | INTERNATIONAL | +18092345678  | INTERNATIONAL",
        "+1 600 234 5678      | INTERNATIONAL | +16002345678  | INTERNATIONAL",
    })
    void missouriFacility(String dialed, String kind, String e164, String callClass) {
        check(classifier.classify(dialed, MISSOURI), dialed, kind, e164, callClass);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "''",
        "'   '",
        "+",
        "()-",
        "911",
        "411",
        "611",
        "1-911",
        "573555",
        "555-0100",
        "573 555 01000",
        "1573555010",
        "573-555-CALL",
        "1-800-FLOWERS",
        "*67 573 555 0100",
        "573-555-0100#",
        "++1 573 555 0100",
        "1+573 555 0100",
        "573 555 1212",
        "1-800-555-1212",
        "1 976 123 4567",
        "1 880 123 4567",
        "1 999 234 5678",
        "00 44 20 7946 0958",
        "0044 20 7946 0958",
        "011 44 20",
        "5735550100 5735550100 5735550100 5735550100 5735550100 5735550100",
    })
    void invalidForMissouri(String dialed) {
        check(classifier.classify(dialed, MISSOURI), dialed, "INVALID", "-", "-");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "416 555 0123         | GEOGRAPHIC    | +14165550123  | LOCAL",
        "613-555-0123         | GEOGRAPHIC    | +16135550123  | INTRASTATE",
        "1 905 555 0123       | GEOGRAPHIC    | +19055550123  | INTRASTATE",
        "514 555 0123         | GEOGRAPHIC    | +15145550123  | INTERSTATE",
        "902 555 0123         | GEOGRAPHIC    | +19025550123  | INTERSTATE",
        "+1 600 234 5678      | GEOGRAPHIC    | +16002345678  | INTERSTATE",
        "1 800 555 0199       | TOLL_FREE     | +18005550199  | -",
        "1 900 555 0100       | PREMIUM       | +19005550100  | -",
        "212 555 0100         | INTERNATIONAL | +12125550100  | INTERNATIONAL",
        "1 787 234 5678       | INTERNATIONAL | +17872345678  | INTERNATIONAL",
        "011 44 20 7946 0958  | INTERNATIONAL | +442079460958 | INTERNATIONAL",
    })
    void ontarioFacility(String dialed, String kind, String e164, String callClass) {
        check(classifier.classify(dialed, ONTARIO), dialed, kind, e164, callClass);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "902 555 0123         | GEOGRAPHIC    | +19025550123  | INTRASTATE",
        "782 555 0123         | GEOGRAPHIC    | +17825550123  | INTRASTATE",
        "506 555 0123         | GEOGRAPHIC    | +15065550123  | INTERSTATE",
    })
    void provinceSharingAnAreaCode(String dialed, String kind, String e164, String callClass) {
        check(classifier.classify(dialed, PRINCE_EDWARD_ISLAND), dialed, kind, e164, callClass);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "787 234 5678         | GEOGRAPHIC    | +17872345678  | INTRASTATE",
        "1 939 234 5678       | GEOGRAPHIC    | +19392345678  | INTRASTATE",
        "1 212 555 0100       | GEOGRAPHIC    | +12125550100  | INTERSTATE",
        "1 416 555 0123       | INTERNATIONAL | +14165550123  | INTERNATIONAL",
    })
    void puertoRicoFacility(String dialed, String kind, String e164, String callClass) {
        check(classifier.classify(dialed, PUERTO_RICO), dialed, kind, e164, callClass);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "020 7946 0958        | GEOGRAPHIC    | +442079460958 | LOCAL",
        "+44 20 7946 0958     | GEOGRAPHIC    | +442079460958 | LOCAL",
        "0161 496 0000        | GEOGRAPHIC    | +441614960000 | INTRASTATE",
        "0800 123 4567        | TOLL_FREE     | +448001234567 | -",
        "0909 879 0000        | PREMIUM       | +449098790000 | -",
        "00 1 573 555 0100    | INTERNATIONAL | +15735550100  | INTERNATIONAL",
        "00 1 800 555 0199    | TOLL_FREE     | +18005550199  | INTERNATIONAL",
        "00 1 900 555 0100    | PREMIUM       | +19005550100  | INTERNATIONAL",
        "011 1 573 555 0100   | INVALID       | -             | -",
    })
    void londonFacility(String dialed, String kind, String e164, String callClass) {
        check(classifier.classify(dialed, LONDON), dialed, kind, e164, callClass);
    }

    @Test
    void doubleZeroIsTheInternationalPrefixInGermanyButNotInTheUs() {
        check(classifier.classify("00 44 20 7946 0958", BERLIN),
                "00 44 20 7946 0958", "INTERNATIONAL", "+442079460958", "INTERNATIONAL");
        check(classifier.classify("030 12345678", BERLIN), "030 12345678", "GEOGRAPHIC", "+493012345678", "INTRASTATE");
        check(classifier.classify("00 44 20 7946 0958", MISSOURI), "00 44 20 7946 0958", "INVALID", "-", "-");
    }

    @Test
    void standardIsOneSharedInstanceOverTheStandardTable() {
        assertThat(NumberClassifier.standard()).isSameAs(NumberClassifier.standard());
        assertThat(NumberClassifier.standard().areaCodes().size()).isEqualTo(NanpAreaCodes.standard().size());
    }

    @Test
    void anAreaCodeMissingFromTheTableIsInterstate() {
        NanpAreaCodes withoutMissouri = NanpAreaCodes.parse(
                java.util.List.of("area_code,region,state", "212,US,NY"), "test");
        NumberClassifier classifier = new NumberClassifier(withoutMissouri);
        check(classifier.classify("573 555 0100", MISSOURI), "573 555 0100", "GEOGRAPHIC", "+15735550100", "INTERSTATE");
        check(classifier.classify("573 634 0100", MISSOURI), "573 634 0100", "GEOGRAPHIC", "+15736340100", "LOCAL");
    }
}
