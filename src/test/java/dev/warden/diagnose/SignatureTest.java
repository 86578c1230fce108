package dev.warden.diagnose;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureTest {

    @Test
    void theSameFailureOnAnotherRunHasTheSameSignature() {
        Signature a = Signature.of("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 22.00 MiB. GPU 0 has a total capacity of 23.65 GiB of which 11.06 MiB is free.");
        Signature b = Signature.of("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.70 GiB. GPU 3 has a total capacity of 79.15 GiB of which 0 bytes is free.");

        assertThat(a).isEqualTo(b);
        assertThat(a.id()).hasSize(12).matches("[0-9a-f]+");
    }

    @Test
    void pathsPidsPortsAddressesAndBusIdsAreNormalisedAway() {
        Signature a = Signature.of("[rank1]: RuntimeError: [/opt/conda/lib/gloo/transport/tcp/pair.cc:598] Connection closed by peer [10.0.0.7]:41354");
        Signature b = Signature.of("[rank0]: RuntimeError: [./gloo/transport/tcp/pair.cc:598] Connection closed by peer [127.0.0.1]:2208");
        Signature c = Signature.of("ImportError: /home/a/.venv/lib/python3.10/site-packages/te/te_torch.cpython-310-x86_64-linux-gnu.so: undefined symbol: _ZN3c104cuda29c10_cuda_check_implementationEiPKcS2_ib");
        Signature d = Signature.of("ImportError: /usr/lib/python3.11/site-packages/te/te_torch.cpython-311-x86_64-linux-gnu.so: undefined symbol: _ZN3c104cuda29c10_cuda_check_implementationEiPKcS2_ib");

        assertThat(a).isEqualTo(b);
        assertThat(a.text()).isEqualTo("[rank<n>]: RuntimeError: [<path>/pair.cc:<n>] Connection closed by peer [<ip>]:<n>");
        assertThat(c).isEqualTo(d);
        assertThat(c.text()).contains("undefined symbol: _ZN3c104cuda29c10_cuda_check_implementationEiPKcS2_ib");
    }

    @Test
    void theXidNumberAndErrnoTellFailuresApart() {
        Signature xid79 = Signature.of("NVRM: Xid (PCI:0000:44:00): 79, pid=1234, GPU has fallen off the bus");
        Signature xid79Elsewhere = Signature.of("NVRM: Xid (PCI:0000:3b:00): 79, pid=99, GPU has fallen off the bus");
        Signature xid48 = Signature.of("NVRM: Xid (PCI:0000:44:00): 48, pid=1234, GPU has fallen off the bus");

        assertThat(xid79).isEqualTo(xid79Elsewhere);
        assertThat(xid79.text()).isEqualTo("NVRM: Xid (<pci>): 79, pid=<n>, GPU has fallen off the bus");
        assertThat(xid48).isNotEqualTo(xid79);
        assertThat(Signature.of("OSError: [Errno 28] No space left on device").text()).isEqualTo("OSError: [Errno 28] No space left on device");
    }

    @Test
    void hexAddressesAndUuidsAreNormalised() {
        Signature s = Signature.of("Memory access fault by GPU node-2 (Agent handle: 0x56468ab3bb50) on address 0x7fe55fb03000. Reason: Page not present GPU-8a47641b-dff6-f09f-618c-c3eb58fb430d");

        assertThat(s.text()).isEqualTo("Memory access fault by GPU node-<n> (Agent handle: 0x<hex>) on address 0x<hex>. Reason: Page not present <uuid>");
    }

    @Test
    void aVerdictsSignatureIsThatOfItsErrorLine() {
        Verdict v = Fixtures.diagnoser().classify(Fixtures.path("disk_full.txt"), ExitInfo.code(1));

        assertThat(v.signature()).isEqualTo(Signature.of(v.errorLine()));
    }
}
