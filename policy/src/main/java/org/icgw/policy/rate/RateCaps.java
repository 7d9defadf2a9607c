package org.icgw.policy.rate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.RateTier;
import org.icgw.policy.model.Wire;

/**
 * The per-minute rate caps, as data: schedules of caps per facility tier, each in force from a
 * date until the next one. The bundled table ({@code rate-caps.yaml}) holds the FCC's 2024 order
 * and the interim caps in force from April 2026; an operator may load another.
 */
public final class RateCaps {

    /** One schedule: caps in cents per minute for domestic and international calls, per tier. */
    public record Schedule(String name, LocalDate effective, Map<RateTier, Integer> domestic,
                           Map<RateTier, Integer> international) {
        public Schedule {
            domestic = Map.copyOf(domestic);
            international = Map.copyOf(international);
        }
    }

    private final List<Schedule> schedules;

    public RateCaps(List<Schedule> schedules) {
        if (schedules.isEmpty()) {
            throw new IllegalArgumentException("rate caps: no schedule");
        }
        List<Schedule> sorted = new ArrayList<>(schedules);
        sorted.sort(Comparator.comparing(Schedule::effective));
        this.schedules = List.copyOf(sorted);
    }

    /** The bundled table. */
    public static RateCaps standard() {
        try (InputStream in = RateCaps.class.getResourceAsStream("rate-caps.yaml")) {
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a table in the bundled YAML form. */
    public static RateCaps load(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
        List<Schedule> out = new ArrayList<>();
        for (JsonNode s : root.path("schedules")) {
            out.add(new Schedule(s.path("name").asText(), LocalDate.parse(s.path("effective").asText()),
                    tiers(s.path("domestic")), tiers(s.path("international"))));
        }
        return new RateCaps(out);
    }

    private static Map<RateTier, Integer> tiers(JsonNode node) {
        Map<RateTier, Integer> m = new EnumMap<>(RateTier.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(Wire.parse(RateTier.class, e.getKey()), e.getValue().asInt());
        }
        return m;
    }

    /** The schedule in force on {@code day}: the latest that took effect on or before it. */
    public Schedule inForce(LocalDate day) {
        Schedule found = schedules.getFirst();
        for (Schedule s : schedules) {
            if (!s.effective().isAfter(day)) {
                found = s;
            }
        }
        return found;
    }

    /** The cap in cents per minute for a tier and call class on {@code day}. */
    public int capCents(RateTier tier, CallClass callClass, LocalDate day) {
        Schedule s = inForce(day);
        Map<RateTier, Integer> table = callClass == CallClass.INTERNATIONAL && s.international().containsKey(tier)
                ? s.international() : s.domestic();
        Integer cap = table.get(tier);
        if (cap == null) {
            throw new IllegalStateException("rate caps: schedule " + s.name() + " has no cap for " + Wire.name(tier));
        }
        return cap;
    }
}
