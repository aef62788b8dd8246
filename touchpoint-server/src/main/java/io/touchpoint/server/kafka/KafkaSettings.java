package io.touchpoint.server.kafka;

/**
 * Kafka mode (docs/SCALING.md): ingest nodes append to {@code topic} and answer once the brokers acknowledged; store
 * writers in the consumer group {@code group + "-store-writer"} move the records into PostgreSQL. Off by default, and
 * then nothing of Kafka is started.
 *
 * @param partitions        the topic's partitions when Touchpoint creates it (an existing topic keeps its own)
 * @param replicationFactor the topic's replicas when Touchpoint creates it
 * @param ackTimeoutMs      how long a request waits for the brokers' acknowledgement before it is answered 503
 */
public record KafkaSettings(boolean enabled, String bootstrapServers, String topic, int partitions,
                            short replicationFactor, String group, int ackTimeoutMs) {
    public static final KafkaSettings OFF = new KafkaSettings(false, null, "touchpoint-ingest", 12, (short) 3,
            "touchpoint", 10_000);

    public String storeWriterGroup() {
        return group + "-store-writer";
    }
}
