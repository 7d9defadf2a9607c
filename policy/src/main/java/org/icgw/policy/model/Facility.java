package org.icgw.policy.model;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A correctional facility and its calling rules.
 *
 * @param namePrompt          recording of the facility's name spoken to the callee, if any
 * @param ani                 caller ID presented to the trunk, E.164
 * @param region              ISO region the facility dials from ({@code US})
 * @param state               state or province code, for the call class ({@code MO})
 * @param localPrefixes       E.164 prefixes rated as local ({@code +1573})
 * @param accessCode          dialed digits that make the IVR ask for the number (default {@code 0})
 * @param pinLength           digits of a PIN (default 6)
 * @param internationalAllowed whether international numbers may be called at all
 */
public record Facility(
        String id,
        String name,
        Optional<String> namePrompt,
        ZoneId timeZone,
        CallingHours callingHours,
        int maxCallMinutes,
        int announcementIntervalSeconds,
        String ani,
        RateTier rateTier,
        DigitMap digitMap,
        boolean lockdown,
        String region,
        String state,
        List<String> localPrefixes,
        String accessCode,
        int pinLength,
        ThreeWayAction threeWayAction,
        boolean internationalAllowed) {

    public static final int DEFAULT_MAX_CALL_MINUTES = 15;
    public static final int DEFAULT_ANNOUNCEMENT_SECONDS = 60;
    public static final int DEFAULT_PIN_LENGTH = 6;
    public static final String DEFAULT_ACCESS_CODE = "0";

    public Facility {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namePrompt, "name_prompt");
        Objects.requireNonNull(timeZone, "time_zone");
        Objects.requireNonNull(callingHours, "calling_hours");
        Objects.requireNonNull(ani, "ani");
        Objects.requireNonNull(rateTier, "rate_tier");
        Objects.requireNonNull(digitMap, "digit_map");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(accessCode, "access_code");
        Objects.requireNonNull(threeWayAction, "three_way_action");
        localPrefixes = List.copyOf(localPrefixes);
    }

    /** A copy with lockdown switched. */
    public Facility withLockdown(boolean on) {
        return new Facility(id, name, namePrompt, timeZone, callingHours, maxCallMinutes,
                announcementIntervalSeconds, ani, rateTier, digitMap, on, region, state, localPrefixes,
                accessCode, pinLength, threeWayAction, internationalAllowed);
    }
}
