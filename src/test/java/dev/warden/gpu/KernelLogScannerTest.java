package dev.warden.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real kernel log excerpts (src/test/resources/gpu/kernel/sources.jsonl). */
class KernelLogScannerTest {
    @TempDir
    Path dir;

    static String log(String name) {
        try (InputStream in = KernelLogScannerTest.class.getResourceAsStream("/gpu/kernel/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<GpuErrorEvent> scan(String name) {
        return KernelLogScanner.scan(List.of(log(name).split("\n")));
    }

    @Test
    void xid_13_repeats_are_one_event_and_109_needs_a_reset() {
        List<GpuErrorEvent> events = scan("xid13_xid109.log");
        assertThat(events).extracting(GpuErrorEvent::xid).containsExactly(13, 109);
        assertThat(events.get(0).count()).isEqualTo(3);
        assertThat(events.get(0).pci()).isEqualTo("0000:cb:00");
        assertThat(KernelLogScanner.worst(events)).isEqualTo(GpuAction.RESET_GPU);
    }

    @Test
    void h200_driver_load_lines_are_quiet_and_the_xid_43_of_a_device_assert_asks_only_for_an_app_restart() {
        List<GpuErrorEvent> events = scan("h200_boot_then_xid43.log");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.xid()).isEqualTo(43);
            assertThat(e.pci()).isEqualTo("0000:00:06");
            assertThat(e.action()).isEqualTo(GpuAction.RESTART_APP);
        });
    }

    @Test
    void xid_79_and_its_companion_line_are_one_reboot() {
        List<GpuErrorEvent> events = scan("xid79_fallen_off_bus.log");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).xid()).isEqualTo(79);
        assertThat(events.get(0).action()).isEqualTo(GpuAction.REBOOT);
    }

    @Test
    void multi_line_fallen_off_the_bus_without_xid_names_the_gpu() {
        List<GpuErrorEvent> events = scan("fallen_off_bus_multiline.log");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(GpuErrorEvent.Kind.NVIDIA_FELL_OFF_BUS);
            assertThat(e.pci()).isEqualTo("0000:b3:00.0");
            assertThat(e.action()).isEqualTo(GpuAction.REBOOT);
        });
    }

    @Test
    void amd_smu_answering_all_ones_and_device_lost() {
        List<GpuErrorEvent> events = scan("amd_smu_0xffffffff.log");
        assertThat(events).extracting(GpuErrorEvent::kind)
                .containsExactlyInAnyOrder(GpuErrorEvent.Kind.AMD_LOST_FROM_BUS, GpuErrorEvent.Kind.AMD_SMU_NO_RESPONSE);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.pci()).isEqualTo("0000:07:00.0");
            assertThat(e.count()).isEqualTo(2);
        });
    }

    @ParameterizedTest
    @CsvSource({"xid31_xid62_xid45.log,RESET_GPU", "xid13.log,RESTART_APP", "xid32_unlisted.log,UNKNOWN",
            "xid45_info_only.log,INFO"})
    void worst_action_of_each_log(String file, GpuAction action) {
        assertThat(KernelLogScanner.worst(scan(file))).isEqualTo(action);
    }

    @Test
    void a_clean_log_has_no_events() {
        assertThat(scan("clean_dmesg.log")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"13,RESTART_APP", "31,RESTART_APP", "94,RESTART_APP", "48,RESET_GPU", "62,RESET_GPU", "64,RESET_GPU",
            "95,RESET_GPU", "109,RESET_GPU", "119,RESET_GPU", "120,RESET_GPU", "140,RESET_GPU", "79,REBOOT",
            "63,INFO", "92,INFO", "74,UNKNOWN"})
    void xid_catalog(int xid, GpuAction action) {
        assertThat(XidCatalog.action(xid)).isEqualTo(action);
    }

    @Test
    void dmesg_output_is_read_through_the_injected_path() {
        FakeGpuTools tools = FakeGpuTools.in(dir).printing("dmesg", log("xid13_xid109.log"));
        KernelLog.Read r = KernelLog.read(tools.runner(), Duration.ofSeconds(5));
        assertThat(r).isInstanceOfSatisfying(KernelLog.Read.Lines.class, l -> {
            assertThat(l.source()).isEqualTo("dmesg");
            assertThat(KernelLogScanner.scan(l.lines())).hasSize(2);
        });
    }

    @Test
    void refused_dmesg_falls_back_to_kmsg_records() {
        FakeGpuTools tools = FakeGpuTools.in(dir)
                .script("dmesg", "#!/bin/sh\necho 'dmesg: read kernel buffer failed: Operation not permitted' >&2\nexit 1\n")
                .printing("dd", "4,812,1843308145,-;NVRM: Xid (PCI:0000:b3:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.\n"
                        + " SUBSYSTEM=pci\n");
        KernelLog.Read r = KernelLog.read(tools.runner(), Duration.ofSeconds(5));
        assertThat(r).isInstanceOfSatisfying(KernelLog.Read.Lines.class, l -> {
            assertThat(l.source()).isEqualTo("/dev/kmsg");
            assertThat(l.lines()).containsExactly("NVRM: Xid (PCI:0000:b3:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.");
        });
    }

    @Test
    void unreadable_kernel_log_says_why() {
        FakeGpuTools tools = FakeGpuTools.in(dir)
                .script("dmesg", "#!/bin/sh\necho 'dmesg: read kernel buffer failed: Operation not permitted' >&2\nexit 1\n")
                .script("dd", "#!/bin/sh\necho \"dd: failed to open '/dev/kmsg': Permission denied\" >&2\nexit 1\n");
        assertThat(KernelLog.read(tools.runner(), Duration.ofSeconds(5))).isInstanceOfSatisfying(KernelLog.Read.Unreadable.class,
                u -> assertThat(u.why()).isEqualTo("dmesg: dmesg: read kernel buffer failed: Operation not permitted"));
    }
}
