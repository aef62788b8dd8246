package io.touchpoint.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaTestBrokerTest {

    @Test
    void noClusterIdStartsWithADashThatTheStorageToolWouldReadAsAFlag() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(KafkaTestBroker.clusterId()).doesNotStartWith("-").hasSize(22);
        }
    }
}
