package io.touchpoint.server.support;

/**
 * One Kafka broker for every test class of the run that does not stop or kill its broker: a broker takes seconds to
 * start, so the Kafka-mode contract suites share this one, each on topics of its own. Started by the first class that
 * asks, ended with the test JVM.
 */
public final class SharedKafkaBroker {
    private static KafkaTestBroker broker;

    private SharedKafkaBroker() {
    }

    public static synchronized KafkaTestBroker get() {
        if (broker == null) {
            KafkaTestBroker started = KafkaTestBroker.startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-test-broker-stop"));
            broker = started;
        }
        return broker;
    }
}
