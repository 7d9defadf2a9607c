package org.icgw.policy.number;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NanpAreaCodesTest {
    private static final Set<PhoneNumberType> GEOGRAPHIC_TYPES =
            Set.of(PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);

    private static final NanpAreaCodes TABLE = NanpAreaCodes.standard();

    /** NPA to region for every NPA where libphonenumber accepts a fixed or mobile number. */
    private static Map<String, String> geographicNpas;

    /**
     * Asks libphonenumber for a valid geographic number NPA-NXX-1234 for every NPA 200-999 and
     * every exchange 200-999 (some small islands have only a few valid exchanges).
     */
    @BeforeAll
    static void scanLibphonenumber() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        Map<String, String> found = new TreeMap<>();
        for (int npa = 200; npa <= 999; npa++) {
            for (int nxx = 200; nxx <= 999; nxx++) {
                PhoneNumber number = new PhoneNumber().setCountryCode(1)
                        .setNationalNumber(npa * 10_000_000L + nxx * 10_000L + 1234);
                if (util.isValidNumber(number) && GEOGRAPHIC_TYPES.contains(util.getNumberType(number))) {
                    found.put(Integer.toString(npa), util.getRegionCodeForNumber(number));
                    break;
                }
            }
        }
        geographicNpas = found;
    }

    @Test
    void tableHoldsExactlyTheGeographicNpasLibphonenumberKnows() {
        assertThat(TABLE.areaCodes()).containsExactlyElementsOf(new TreeSet<>(geographicNpas.keySet()));
        assertThat(TABLE.size()).isEqualTo(439);
    }

    @Test
    void everyRowHasTheRegionLibphonenumberGivesItsNumbers() {
        for (String npa : TABLE.areaCodes()) {
            assertThat(TABLE.regionOf(npa)).as(npa).contains(geographicNpas.get(npa));
        }
    }

    @Test
    void everyRowIsThreeDigitsWithStatesOfTwoLetters() {
        for (String npa : TABLE.areaCodes()) {
            assertThat(npa).matches("[2-9][0-9]{2}");
            assertThat(TABLE.statesOf(npa)).isNotEmpty().allSatisfy(state -> assertThat(state).matches("[A-Z]{2}"));
        }
    }

    @Test
    void coversEveryStateAndDcAndEveryProvinceAndTerritory() {
        Set<String> us = new TreeSet<>();
        Set<String> ca = new TreeSet<>();
        for (String npa : TABLE.areaCodes()) {
            String region = TABLE.regionOf(npa).orElseThrow();
            if (region.equals("US")) {
                us.addAll(TABLE.statesOf(npa));
            } else if (region.equals("CA")) {
                ca.addAll(TABLE.statesOf(npa));
            } else {
                assertThat(TABLE.statesOf(npa)).as(npa).containsExactly(region);
            }
        }
        assertThat(us).containsExactlyInAnyOrder(
                "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL",
                "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE",
                "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
                "VA", "VT", "WA", "WI", "WV", "WY");
        assertThat(ca).containsExactlyInAnyOrder(
                "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT");
    }

    @Test
    void looksUpStatesProvincesAndTerritories() {
        assertThat(TABLE.stateOf("573")).contains("MO");
        assertThat(TABLE.stateOf("816")).contains("MO");
        assertThat(TABLE.stateOf("212")).contains("NY");
        assertThat(TABLE.stateOf("202")).contains("DC");
        assertThat(TABLE.stateOf("907")).contains("AK");
        assertThat(TABLE.stateOf("808")).contains("HI");
        assertThat(TABLE.regionOf("416")).contains("CA");
        assertThat(TABLE.stateOf("416")).contains("ON");
        assertThat(TABLE.statesOf("902")).containsExactly("NS", "PE");
        assertThat(TABLE.statesOf("867")).containsExactly("YT", "NT", "NU");
        assertThat(TABLE.lookup("787")).contains(new NanpAreaCodes.AreaCode("787", "PR", List.of("PR")));
        assertThat(TABLE.stateOf("684")).contains("AS");
        assertThat(TABLE.stateOf("876")).contains("JM");
        assertThat(TABLE.stateOf("800")).isEmpty();
        assertThat(TABLE.stateOf("900")).isEmpty();
        assertThat(TABLE.stateOf("999")).isEmpty();
        assertThat(TABLE.statesOf("999")).isEmpty();
        assertThat(TABLE.stateOf("57")).isEmpty();
    }

    @Test
    void malformedTablesAreRejectedNamingTheLine() {
        assertThatThrownBy(() -> NanpAreaCodes.parse(List.of("# c", "area_code,region,state", "573,US,MO", "573,US,MO"), "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("t line 4: area_code 573 repeats");
        assertThatThrownBy(() -> NanpAreaCodes.parse(List.of("area_code,region,state", "57,US,MO"), "t"))
                .hasMessage("t line 2: area_code is not an NPA (NXX): 57");
        assertThatThrownBy(() -> NanpAreaCodes.parse(List.of("area_code,region,state", "173,US,MO"), "t"))
                .hasMessage("t line 2: area_code is not an NPA (NXX): 173");
        assertThatThrownBy(() -> NanpAreaCodes.parse(List.of("area_code,region,state", "573,US"), "t"))
                .hasMessage("t line 2: expected 3 fields, got 2");
        assertThatThrownBy(() -> NanpAreaCodes.parse(List.of("area_code,region,state", "573,USA,MO"), "t"))
                .hasMessage("t line 2: region is not a two-letter code: USA");
        assertThatThrownBy(() -> NanpAreaCodes.parse(List.of("area_code,region,state", "902,CA,NS|"), "t"))
                .hasMessage("t line 2: state is not a two-letter code: ");
        assertThatThrownBy(() -> NanpAreaCodes.parse(List.of("573,US,MO"), "t"))
                .hasMessage("t line 1: expected header area_code,region,state");
        assertThatThrownBy(() -> NanpAreaCodes.parse(List.of("# only a comment"), "t"))
                .hasMessage("t: no header area_code,region,state");
    }

    @Test
    void viewsAreReadOnly() {
        assertThatThrownBy(() -> TABLE.areaCodes().add("123")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> TABLE.statesOf("902").add("ON")).isInstanceOf(UnsupportedOperationException.class);
    }
}
