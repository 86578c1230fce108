package dev.warden.gpu;

import java.util.List;
import java.util.Set;

/**
 * One GPU as its vendor tool reported it. A null field is unknown: the tool said [N/A],
 * [Not Supported], gave an AMD placeholder (0xFFFF, 0xFFFFFFFF, an impossible temperature), or the
 * driver does not know the field. Unknown is never read as zero or as "healthy".
 *
 * @param throttleReasons active clock slowdowns that cost speed for thermal or power reasons
 *                        (hw_slowdown, hw_thermal_slowdown, sw_thermal_slowdown, hw_power_brake_slowdown)
 * @param fault           the tool's own word that the GPU is unusable ("requires reset",
 *                        "not responding"), else null
 * @param unknownFields   fields that came back as placeholders, for evidence
 */
public record GpuInfo(
        int index,
        GpuVendor vendor,
        String name,
        String uuid,
        String pciBusId,
        Long memoryTotalMib,
        Long memoryUsedMib,
        Long memoryFreeMib,
        Integer temperatureC,
        Long eccUncorrectedVolatile,
        Boolean retiredPagesPending,
        Boolean rowRemapPending,
        Boolean rowRemapFailure,
        Boolean migEnabled,
        Set<String> throttleReasons,
        String fault,
        List<String> unknownFields) {

    public GpuInfo {
        throttleReasons = Set.copyOf(throttleReasons);
        unknownFields = List.copyOf(unknownFields);
    }

    public String label() {
        return "GPU " + index;
    }
}
