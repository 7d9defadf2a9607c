package org.icgw.policy.number;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a facility is, for classifying the numbers its inmates dial.
 *
 * @param region the ISO 3166-1 alpha-2 region whose dialling rules apply (national and
 *     international prefixes), e.g. {@code "US"}; must be known to libphonenumber
 * @param state the facility's state or province code, e.g. {@code "MO"}; compared with
 *     {@link NanpAreaCodes} for NANP regions and ignored elsewhere (may then be empty)
 * @param localPrefixes E.164 prefixes ({@code "+1573"}, {@code "+1314555"}) whose numbers are
 *     {@link org.icgw.policy.model.CallClass#LOCAL} calls
 */
public record NumberPlan(String region, String state, List<String> localPrefixes) {
    private static final Pattern E164_PREFIX = Pattern.compile("\\+[1-9][0-9]{0,14}");

    /** Validates the plan; a bad value is a configuration error and throws. */
    public NumberPlan {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(localPrefixes, "localPrefixes");
        if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("region: not a supported ISO region code: " + region);
        }
        localPrefixes = List.copyOf(localPrefixes);
        for (String prefix : localPrefixes) {
            if (!E164_PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("localPrefixes: not an E.164 prefix (+digits): " + prefix);
            }
        }
    }

    /** A plan with the given local prefixes. */
    public static NumberPlan of(String region, String state, String... localPrefixes) {
        return new NumberPlan(region, state, List.of(localPrefixes));
    }
}
