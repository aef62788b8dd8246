package io.touchpoint.server;

import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.kafka.KafkaSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * compose.yaml as Compose reads it (anchors and merge keys resolved, {@code ${...}} filled from a .env as README says):
 * {@code docker compose up} still runs the one node on PostgreSQL, and the {@code kafka} profile adds a KRaft broker of
 * the Kafka client's release and a second node, both nodes in Kafka mode with settings that {@link ConfigLoader} takes.
 * The image and its health check are ContainerImageIT's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeFileTest {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::([-?])([^}]*))?}");
    private static final Map<String, String> DOT_ENV = Map.of("TOUCHPOINT_DB_PASSWORD", "a-password",
            "TOUCHPOINT_SECRETS_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    private Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void read() throws IOException {
        String compose = Files.readString(Path.of("..", "compose.yaml"));
        services = (Map<String, Map<String, Object>>) new Yaml().<Map<String, Object>>load(compose).get("services");
    }

    @Test
    void withoutAProfileOneNodeRunsOnPostgresqlWithTheStoreAsItsLog() {
        assertThat(services).containsKeys("postgres", "touchpoint", "touchpoint-2", "kafka");
        assertThat(services.entrySet().stream().filter(s -> !s.getValue().containsKey("profiles")).map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("postgres", "touchpoint");
        assertThat(map(services.get("touchpoint").get("depends_on"), "kafka")).containsEntry("required", false);

        ServerConfig single = config("touchpoint", DOT_ENV);
        assertThat(single.kafka().enabled()).isFalse();
        assertThat(single.databaseUrl()).isEqualTo("jdbc:postgresql://postgres:5432/touchpoint");
    }

    @Test
    void theKafkaProfileAddsABrokerOfTheClientsReleaseAndASecondNode() throws IOException {
        assertThat(services.get("kafka").get("profiles")).isEqualTo(List.of("kafka"));
        assertThat(services.get("touchpoint-2").get("profiles")).isEqualTo(List.of("kafka"));
        Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(version.find()).isTrue();
        assertThat(services.get("kafka").get("image")).isEqualTo("apache/kafka:" + version.group(1));

        Map<String, Object> one = services.get("touchpoint");
        Map<String, Object> two = services.get("touchpoint-2");
        for (String same : List.of("image", "depends_on", "healthcheck", "restart")) {
            assertThat(two.get(same)).as(same).isEqualTo(one.get(same));
        }
        assertThat(two.get("ports")).isEqualTo(List.of("127.0.0.1:8081:8080")).isNotEqualTo(one.get("ports"));
        assertThat(two.get("volumes")).isEqualTo(List.of("touchpoint-2:/data")).isNotEqualTo(one.get("volumes"));
        Map<String, Object> env = new HashMap<>(map(one, "environment"));
        env.put("TOUCHPOINT_INGEST_LOG", "kafka");
        assertThat(map(two, "environment")).as("the second node's settings are the first's in Kafka mode").isEqualTo(env);
    }

    @Test
    void inTheKafkaProfileBothNodesReachTheBrokerWithATopicItCanHold() {
        Map<String, String> dotEnv = new HashMap<>(DOT_ENV);
        dotEnv.put("TOUCHPOINT_INGEST_LOG", "kafka");
        Map<String, Object> broker = map(services.get("kafka"), "environment");
        String advertised = broker.get("KAFKA_ADVERTISED_LISTENERS").toString();
        int brokers = (int) services.values().stream().filter(s -> String.valueOf(s.get("image")).startsWith("apache/kafka:")).count();
        for (String node : List.of("touchpoint", "touchpoint-2")) {
            KafkaSettings kafka = config(node, dotEnv).kafka();
            assertThat(kafka.enabled()).as(node).isTrue();
            assertThat(advertised).as(node).isEqualTo("PLAINTEXT://" + kafka.bootstrapServers());
            assertThat(kafka.bootstrapServers()).startsWith("kafka:");
            assertThat((int) kafka.replicationFactor()).as("replicas the brokers can hold").isLessThanOrEqualTo(brokers);
        }
        assertThat(broker.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(broker.get("KAFKA_LISTENERS").toString()).contains("PLAINTEXT://:9092", "CONTROLLER://:9093");
        assertThat(broker.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(broker.get("KAFKA_NODE_ID") + "@kafka:9093");
        assertThat(broker.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo(brokers);
        assertThat(broker.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).as("Touchpoint creates its topic").isEqualTo("false");
        assertThat(services.get("kafka").get("volumes")).isEqualTo(List.of("kafka:" + broker.get("KAFKA_LOG_DIRS")));
    }

    @Test
    void everyTouchpointVariableNamesAConfigurationKey() {
        for (String node : List.of("touchpoint", "touchpoint-2")) {
            for (String name : map(services.get(node), "environment").keySet()) {
                if (!name.startsWith("TOUCHPOINT_")) continue;
                assertThat(ConfigLoader.DEFAULTS.keySet().stream().map(ConfigLoader::envName)).as(node + " " + name).contains(name);
            }
        }
    }

    /** The node's configuration as it would load in the container: its environment with {@code dotEnv} filled in. */
    private ServerConfig config(String service, Map<String, String> dotEnv) {
        Map<String, String> env = new HashMap<>();
        map(services.get(service), "environment").forEach((k, v) -> env.put(k, interpolate(v.toString(), dotEnv)));
        return new ConfigLoader(null, env, Map.of()).load();
    }

    /** {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:?error}} as Compose fills them. */
    private static String interpolate(String value, Map<String, String> dotEnv) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = dotEnv.get(m.group(1));
            if ((v == null || v.isEmpty()) && "?".equals(m.group(2))) throw new AssertionError("compose would stop: " + m.group(3));
            if (v == null || v.isEmpty()) v = "-".equals(m.group(2)) ? m.group(3) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object parent, String key) {
        return (Map<String, Object>) ((Map<String, Object>) parent).get(key);
    }
}
