package dev.nexus.api.testing;

import dev.nexus.api.platform.InboundMessage;
import dev.nexus.api.platform.InboundSink;
import dev.nexus.api.platform.InboundSinkContract;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The test double passes the contract the host's sink passes (see the host's {@code InboxContractTest}). */
class RecordingInboundSinkContractTest extends InboundSinkContract {

    private RecordingInboundSink recording;

    @Override
    protected InboundSink newSink() {
        recording = new RecordingInboundSink();
        return recording;
    }

    @Override
    protected InboundMessage message(String externalId) {
        return new InboundMessage(
                "sample",
                externalId,
                "user-1",
                "sample-persona",
                Optional.empty(),
                "hello",
                Instant.parse("2026-01-01T00:00:00Z"),
                Map.of());
    }

    @Override
    protected void storageDown() {
        recording.failWith(new IllegalStateException("database unavailable"));
    }

    @Override
    protected void storageUp() {
        recording.acceptAll();
    }
}
