package io.touchpoint.server.kafka;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.tests.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestRecordCodecTest {
    private final Workspace ws = Fixtures.workspace("acme");

    @Test
    void anAcceptedRecordComesBackWhole() throws IOException {
        Event e = Fixtures.fullEvent(ws, "key-1");
        IngestRecord r = Fixtures.accepted(e, e.requestId());

        IngestRecord back = IngestRecordCodec.read(IngestRecordCodec.write(r));

        assertThat(back).isEqualTo(r);
        assertThat(back.event().rawPayload()).isEqualTo(e.rawPayload());
        assertThat(back.event().consent()).isEqualTo(e.consent());
    }

    @Test
    void aRefusalComesBackWithoutAnEvent() throws IOException {
        Event e = Fixtures.fullEvent(ws, null);
        EventLogEntry log = Fixtures.acceptedLog(e, "req_1", 0);
        IngestRecord refused = IngestRecord.rejected(log);

        assertThat(IngestRecordCodec.read(IngestRecordCodec.write(refused))).isEqualTo(refused);
    }

    @Test
    void fieldsANewerNodeAddsAreSkippedAndGarbageIsAnError() throws IOException {
        Event e = Fixtures.fullEvent(ws, null);
        IngestRecord r = Fixtures.accepted(e, e.requestId());
        String json = new String(IngestRecordCodec.write(r), StandardCharsets.UTF_8);
        String newer = "{\"added_later\":1," + json.substring(1);

        assertThat(IngestRecordCodec.read(newer.getBytes(StandardCharsets.UTF_8))).isEqualTo(r);
        assertThatThrownBy(() -> IngestRecordCodec.read("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
