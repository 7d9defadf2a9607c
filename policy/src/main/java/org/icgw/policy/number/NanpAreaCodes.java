package org.icgw.policy.number;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The geographic area codes (NPAs) of the North American Numbering Plan, each with the
 * libphonenumber region it belongs to and the state, province or territory it serves.
 *
 * <p>libphonenumber tells the region of a +1 number but not its state (its geocoder artifact is
 * not available here), so the table is kept as the CSV resource
 * {@value #RESOURCE}: {@code area_code,region,state}, one row per NPA, {@code #} comments, and
 * {@code |} between the provinces of an NPA that serves several (902: NS and PE). Immutable and
 * safe to share between threads.
 */
public final class NanpAreaCodes {
    /** Classpath location of the standard table. */
    public static final String RESOURCE = "/org/icgw/policy/number/nanp-area-codes.csv";

    private static final String HEADER = "area_code,region,state";
    private static final Pattern AREA_CODE = Pattern.compile("[2-9][0-9]{2}");
    private static final Pattern REGION = Pattern.compile("[A-Z]{2}");
    private static final Pattern STATE = Pattern.compile("[A-Z]{2}");

    /**
     * One row of the table.
     *
     * @param areaCode the three-digit NPA
     * @param region its libphonenumber region ({@code "US"}, {@code "CA"}, {@code "PR"}, ...)
     * @param states the states or provinces it serves, the main one first; never empty
     */
    public record AreaCode(String areaCode, String region, List<String> states) {
        /** Copies {@code states}. */
        public AreaCode {
            states = List.copyOf(states);
        }
    }

    private final SortedMap<String, AreaCode> byCode;
    private final SortedSet<String> areaCodes;

    private NanpAreaCodes(SortedMap<String, AreaCode> byCode) {
        this.byCode = Collections.unmodifiableSortedMap(byCode);
        this.areaCodes = Collections.unmodifiableSortedSet(new TreeSet<>(byCode.keySet()));
    }

    /** Loads the standard table from {@value #RESOURCE}. */
    public static NanpAreaCodes standard() {
        try (InputStream in = NanpAreaCodes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList(),
                    RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    /**
     * Parses a table in the CSV form described above.
     *
     * @param lines the file's lines
     * @param source a name for error messages
     * @throws IllegalArgumentException naming the line when a row is malformed or repeats an NPA
     */
    public static NanpAreaCodes parse(List<String> lines, String source) {
        SortedMap<String, AreaCode> byCode = new TreeMap<>();
        boolean headerSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            if (!headerSeen) {
                if (!line.equals(HEADER)) {
                    throw new IllegalArgumentException(where + "expected header " + HEADER);
                }
                headerSeen = true;
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 3) {
                throw new IllegalArgumentException(where + "expected 3 fields, got " + fields.length);
            }
            String code = fields[0].strip();
            String region = fields[1].strip();
            List<String> states = List.of(fields[2].strip().split("\\|", -1));
            if (!AREA_CODE.matcher(code).matches()) {
                throw new IllegalArgumentException(where + "area_code is not an NPA (NXX): " + code);
            }
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException(where + "region is not a two-letter code: " + region);
            }
            for (String state : states) {
                if (!STATE.matcher(state).matches()) {
                    throw new IllegalArgumentException(where + "state is not a two-letter code: " + state);
                }
            }
            if (byCode.putIfAbsent(code, new AreaCode(code, region, states)) != null) {
                throw new IllegalArgumentException(where + "area_code " + code + " repeats");
            }
        }
        if (!headerSeen) {
            throw new IllegalArgumentException(source + ": no header " + HEADER);
        }
        return new NanpAreaCodes(byCode);
    }

    /** The row for a three-digit NPA, if the table has it. */
    public Optional<AreaCode> lookup(String areaCode) {
        return Optional.ofNullable(byCode.get(areaCode));
    }

    /** The main state or province that {@code areaCode} serves ({@code "573"} gives {@code "MO"}). */
    public Optional<String> stateOf(String areaCode) {
        return lookup(areaCode).map(row -> row.states().getFirst());
    }

    /** Every state or province that {@code areaCode} serves; empty when the NPA is unknown. */
    public List<String> statesOf(String areaCode) {
        return lookup(areaCode).map(AreaCode::states).orElse(List.of());
    }

    /** The libphonenumber region of {@code areaCode} ({@code "416"} gives {@code "CA"}). */
    public Optional<String> regionOf(String areaCode) {
        return lookup(areaCode).map(AreaCode::region);
    }

    /** Every NPA in the table, sorted. */
    public SortedSet<String> areaCodes() {
        return areaCodes;
    }

    /** The number of NPAs in the table. */
    public int size() {
        return byCode.size();
    }
}
