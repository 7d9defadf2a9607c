package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Facility;

/**
 * Coverage-guided fuzzing of the admin API's request reader with {@code PUT /facilities/{id}}
 * bodies, the richest the API takes (nested digit map, lists, enums, time zone, calling hours).
 * In the test run only the seeds under {@code JsonBodyFuzzTestInputs/} run; {@code deploy/fuzz.sh
 * admin-json} fuzzes.
 *
 * <p>A body gives a facility or a {@link ValidationException} naming the field (a 400 problem);
 * anything else would be a 500. A facility read is written back as the API shows it, and that
 * JSON reads back as the same facility.
 */
class JsonBodyFuzzTest {

    private static final String ID = "f1";

    @FuzzTest
    void facility(byte[] body) throws JsonProcessingException {
        Facility facility;
        try {
            facility = FacilityResource.parse(JsonBody.parse(body, FacilityResource.KEYS), ID);
        } catch (ValidationException e) {
            assertThat(e.field()).isNotEmpty();
            assertThat(e.problem()).isNotEmpty();
            return;
        }
        assertThat(facility.id()).isEqualTo(ID);
        byte[] shown = Json.MAPPER.writeValueAsBytes(Json.facility(facility));
        assertThat(FacilityResource.parse(JsonBody.parse(shown, FacilityResource.KEYS), ID)).isEqualTo(facility);
    }
}
