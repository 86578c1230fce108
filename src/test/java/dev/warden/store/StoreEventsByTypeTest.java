package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.event.Event;
import dev.warden.event.EventType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreEventsByTypeTest {
    @TempDir
    Path dir;

    @Test
    void returnsOnlyTheAskedTypesInTheirOrder() {
        WardenHome home = new WardenHome(dir.resolve("home"));
        try (Store store = Store.open(home)) {
            store.createRun(new RunRecord("r1", "job", "python train.py", null, dir.toString(), "host", Instant.now()));
            RunJournal j = new RunJournal(store, home, "r1", null);
            j.emit(EventType.RUN_STARTED, 0, "started");
            j.emit(EventType.ATTEMPT_STARTED, 1, "attempt 1", Map.of("pgid", 41));
            j.emit(EventType.PROGRESS, 1, "step 4/8", Map.of("step", 4));
            j.emit(EventType.EXITED, 1, "exit 1");
            j.emit(EventType.ATTEMPT_STARTED, 2, "attempt 2", Map.of("pgid", 42));
            j.emit(EventType.RUN_ENDED, 2, "finished");

            var got = store.events("r1", EnumSet.of(EventType.ATTEMPT_STARTED, EventType.RUN_ENDED));

            assertThat(got).extracting(Event::type)
                    .containsExactly(EventType.ATTEMPT_STARTED, EventType.ATTEMPT_STARTED, EventType.RUN_ENDED);
            assertThat(got.get(1).longValue("pgid")).isEqualTo(42L);
            assertThat(store.events("r1", EnumSet.noneOf(EventType.class))).isEmpty();
            assertThat(store.events("other", EnumSet.of(EventType.RUN_ENDED))).isEmpty();
        }
    }
}
