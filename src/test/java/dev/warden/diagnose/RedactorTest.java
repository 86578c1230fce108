package dev.warden.diagnose;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private final Redactor redactor = Redactor.of(Map.of(
            "HF_TOKEN", "hf_abcdefghijklmnopqrstuvwxyz0123456789",
            "WANDB_API_KEY", "0123456789abcdef0123",
            "db_password", "hunter2hunter2",
            "MY_SERVICE_CREDENTIALS", "user:pa55word!",
            "PATH", "/usr/bin:/bin",
            "SHORT_TOKEN", "abc",
            "DATASET_URL", "s3://secret-bucket/data?sig=abcdef123456"), List.of("DATASET_URL"));

    @Test
    void masksValuesOfSecretLookingVariablesAndDeclaredOnes() {
        String out = redactor.redact("login with hf_abcdefghijklmnopqrstuvwxyz0123456789 and key 0123456789abcdef0123, "
                + "db hunter2hunter2, cred user:pa55word!, data s3://secret-bucket/data?sig=abcdef123456, path /usr/bin:/bin");

        assertThat(out).isEqualTo("login with [redacted:HF_TOKEN] and key [redacted:WANDB_API_KEY], db [redacted:db_password], "
                + "cred [redacted:MY_SERVICE_CREDENTIALS], data [redacted:DATASET_URL], path /usr/bin:/bin");
    }

    @Test
    void masksAssignmentsOfSecretNamesEvenWithValuesFromElsewhere() {
        assertThat(redactor.redact("+ HF_TOKEN=hf_other_machine_token python train.py --lr 3e-4"))
                .isEqualTo("+ HF_TOKEN=[redacted:HF_TOKEN] python train.py --lr 3e-4");
        assertThat(redactor.redact("export OPENAI_API_KEY='sk-live 123'"))
                .isEqualTo("export OPENAI_API_KEY=[redacted:OPENAI_API_KEY]");
        assertThat(redactor.redact("+ DATASET_URL=s3://other/path python train.py"))
                .isEqualTo("+ DATASET_URL=[redacted:DATASET_URL] python train.py");
    }

    @Test
    void masksUnmistakableTokenShapes() {
        assertThat(redactor.redact("token hf_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ leaked"))
                .isEqualTo("token [redacted] leaked");
    }

    @Test
    void leavesOrdinaryTextAndTooShortValuesAlone() {
        String text = "KeyError: 'labels' in state_dict; Missing key(s) in state_dict: abc; loss=0.5";

        assertThat(redactor.redact(text)).isEqualTo(text);
        assertThat(Redactor.none().redact("HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789")).isEqualTo("HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789");
    }

    @Test
    void theDiagnoserRedactsEvidence() {
        Diagnoser d = Fixtures.diagnoser().withRedactor(redactor);

        Verdict v = d.classifyText("OSError: [Errno 28] No space left on device while saving with hunter2hunter2\n", ExitInfo.code(1));

        assertThat(v.errorLine()).isEqualTo("OSError: [Errno 28] No space left on device while saving with [redacted:db_password]");
    }
}
